// Deterministic anatomy-like phantoms: a chest CT slice in Hounsfield units and a brain MR slice in
// arbitrary T1-like units, with textured tissue, smooth boundaries and acquisition noise.
// Thread-neutral, pure. Coordinates: (x, y) = (column, row) in pixels, row 0 anterior, column 0 patient right.
import { makeGaussian, makeRandom, makeValueNoise } from './random';

/** Inside an ellipse centred at (cx, cy) with radii (rx, ry), boundary wobbled by `wobble` (fraction of radius). */
function ellipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number, wobble = 0): boolean {
  const dx = (x - cx) / rx, dy = (y - cy) / ry;
  return dx * dx + dy * dy <= (1 + wobble) * (1 + wobble);
}

/**
 * Chest CT slice, `size` × `size`, values in HU (air −1000, lung ≈ −850, fat ≈ −100, soft tissue 40, blood 45,
 * bone 700, marrow 250). `z` in [0, 1] moves from lung bases (0) to apices (1): lungs and heart change size.
 */
export function chestCtSlice(size: number, z: number, seed: number, noiseHU = 12): Float32Array {
  const rand = makeRandom(seed);
  const gauss = makeGaussian(rand);
  const structure = makeRandom(1234); // anatomy is shared by all slices; noise differs
  const shape = makeValueNoise(structure, size, size, size / 8);
  const texture = makeValueNoise(structure, size, size, size / 48);
  const vessels = makeValueNoise(makeRandom(99 + Math.round(z * 40)), size, size, size / 40);
  const out = new Float32Array(size * size);
  const c = size / 2;
  const u = size / 512; // scale: the anatomy is designed at 512 px
  const lungScale = 0.75 + 0.35 * Math.sin(Math.PI * Math.min(1, z * 1.1));
  const heart = 1.15 - 0.8 * z;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const w = 0.03 * shape(x, y);
      let v = -1000;
      if (ellipse(x, y, c, c + 10 * u, 215 * u, 160 * u, w)) {
        v = -100 + 15 * texture(x, y); // subcutaneous fat
        if (ellipse(x, y, c, c + 10 * u, 200 * u, 146 * u, w)) v = 40 + 8 * texture(x, y); // muscle wall
        const lungY = c + 5 * u;
        const inLungR = ellipse(x, y, c - 88 * u, lungY, 75 * u * lungScale, 110 * u * lungScale, w);
        const inLungL = ellipse(x, y, c + 88 * u, lungY, 72 * u * lungScale, 108 * u * lungScale, w);
        if (inLungR || inLungL) {
          v = -860 + 30 * texture(x, y);
          const vessel = Math.abs(vessels(x, y));
          if (vessel < 0.04) v = 30; // branching vessels as thin bright curves
        }
        if (heart > 0.25 && ellipse(x, y, c + 25 * u, c + 35 * u, 70 * u * heart, 58 * u * heart, w)) v = 45 + 6 * texture(x, y);
        if (ellipse(x, y, c + 18 * u, c + 65 * u, 16 * u, 16 * u)) v = 50; // descending aorta
        if (ellipse(x, y, c, c + 110 * u, 26 * u, 24 * u)) {
          v = ellipse(x, y, c, c + 110 * u, 19 * u, 17 * u) ? 250 + 60 * texture(x, y) : 700 + 80 * texture(x, y); // vertebra
        }
        if (ellipse(x, y, c, c - 118 * u, 22 * u, 7 * u)) v = 650; // sternum
      }
      out[y * size + x] = v + noiseHU * gauss();
    }
  }
  return out;
}

/**
 * Axial brain MR slice (T1-like: white matter brighter than grey, CSF dark), `size` × `size`, values ≥ 0.
 * `z` in [0, 1] from skull base to vertex. Rician noise of standard deviation `sigma`.
 */
export function brainMrSlice(size: number, z: number, seed: number, sigma = 18): Float32Array {
  const rand = makeRandom(seed);
  const gauss = makeGaussian(rand);
  const structure = makeRandom(4321);
  const shape = makeValueNoise(structure, size, size, size / 6);
  const folds = makeValueNoise(structure, size, size, size / 20);
  const bias = makeValueNoise(structure, size, size, size / 2);
  const out = new Float32Array(size * size);
  const c = size / 2;
  const r = size * (0.36 + 0.08 * Math.sin(Math.PI * z));
  const vent = Math.max(0, 1 - Math.abs(z - 0.5) * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const w = 0.025 * shape(x, y);
      let v = 0;
      if (ellipse(x, y, c, c, r * 0.86, r, w)) {
        v = 900; // scalp fat
        if (ellipse(x, y, c, c, r * 0.8, r * 0.94, w)) v = 80; // skull (dark)
        if (ellipse(x, y, c, c, r * 0.74, r * 0.88, w)) v = 250; // CSF
        if (ellipse(x, y, c, c, r * 0.71, r * 0.85, w)) {
          const gyri = folds(x, y);
          v = gyri > 0.25 ? 260 : 560; // sulci CSF or grey matter
          if (ellipse(x, y, c, c, r * 0.6, r * 0.74, w + 0.06 * gyri)) v = 780; // white matter
          if (vent > 0 && (ellipse(x, y, c - 14 * size / 256, c - 6 * size / 256, 7 * size / 256, 28 * size / 256 * vent) ||
              ellipse(x, y, c + 14 * size / 256, c - 6 * size / 256, 7 * size / 256, 28 * size / 256 * vent))) v = 220; // ventricles
        }
      }
      const b = 1 + 0.12 * bias(x, y); // coil sensitivity
      const re = v * b + sigma * gauss();
      const im = sigma * gauss();
      out[y * size + x] = Math.sqrt(re * re + im * im);
    }
  }
  return out;
}
