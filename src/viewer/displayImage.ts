// PixelFrame (stored values) → cornerstone Image: modality LUT kept as slope/intercept, colour and palette
// images as RGBA, 32-bit and float data remapped to a 16-bit range with slope/intercept adjusted so modality
// values (HU) are unchanged. Pure apart from typed-array allocation; UI thread.
import type { Image } from 'cornerstone-core';
import type { InstanceHeader, Palette, PixelFrame } from '../shared/types';
import { initialWindow } from '../shared/voi';
import { renderGrayscale } from './renderGrayscale';

function paletteToRgba(frame: PixelFrame, p: Palette): Uint8Array {
  const n = frame.rows * frame.columns;
  const out = new Uint8Array(n * 4);
  const look = (ch: Palette['red'], v: number) => {
    const i = Math.min(ch.entries - 1, Math.max(0, v - ch.firstMapped));
    const x = ch.data[i]!;
    return ch.bits === 16 ? x >> 8 : x & 0xff;
  };
  for (let k = 0; k < n; k++) {
    const v = frame.data[k]!;
    out[4 * k] = look(p.red, v);
    out[4 * k + 1] = look(p.green, v);
    out[4 * k + 2] = look(p.blue, v);
    out[4 * k + 3] = 255;
  }
  return out;
}

function rgbToRgba(frame: PixelFrame, bits: number): Uint8Array {
  const n = frame.rows * frame.columns;
  const out = new Uint8Array(n * 4);
  const shift = Math.max(0, bits - 8);
  const scale = 2 ** shift;
  for (let k = 0; k < n; k++) {
    out[4 * k] = frame.data[3 * k]! / scale;
    out[4 * k + 1] = frame.data[3 * k + 1]! / scale;
    out[4 * k + 2] = frame.data[3 * k + 2]! / scale;
    out[4 * k + 3] = 255;
  }
  return out;
}

export function toCornerstoneImage(imageId: string, h: InstanceHeader, frame: PixelFrame): Image {
  const base = {
    imageId,
    rows: frame.rows,
    columns: frame.columns,
    height: frame.rows,
    width: frame.columns,
    rowPixelSpacing: h.pixelSpacing?.[0],
    columnPixelSpacing: h.pixelSpacing?.[1],
    invert: h.photometricInterpretation === 'MONOCHROME1',
  };
  if (frame.samples === 3 || (h.photometricInterpretation === 'PALETTE COLOR' && h.palette)) {
    const rgba = frame.samples === 3 ? rgbToRgba(frame, h.bitsStored) : paletteToRgba(frame, h.palette!);
    return { ...base, color: true, minPixelValue: 0, maxPixelValue: 255, slope: 1, intercept: 0, windowCenter: 128, windowWidth: 256, getPixelData: () => rgba, sizeInBytes: rgba.byteLength };
  }
  let data: ArrayLike<number> = frame.data;
  let { min, max } = frame;
  let slope = h.rescaleSlope, intercept = h.rescaleIntercept;
  const wide = frame.data instanceof Float32Array || frame.data instanceof Float64Array || frame.data instanceof Uint32Array || frame.data instanceof Int32Array;
  if (wide && (max - min > 65535 || !Number.isInteger(min) || !Number.isInteger(max) || frame.data instanceof Float32Array || frame.data instanceof Float64Array)) {
    // cornerstone builds a LUT over [min, max] of integer stored values: map to 0..65535 and fold the map into the rescale.
    const k = max > min ? 65535 / (max - min) : 1;
    const mapped = new Uint16Array(frame.data.length);
    for (let i = 0; i < mapped.length; i++) mapped[i] = Math.round((frame.data[i]! - min) * k);
    intercept = intercept + slope * min;
    slope = slope / k;
    data = mapped;
    min = 0;
    max = Math.round((frame.max - frame.min) * k);
  }
  const w = initialWindow(h, frame.data);
  return { ...base, color: false, minPixelValue: min, maxPixelValue: max, slope, intercept, windowCenter: w.center, windowWidth: w.width, getPixelData: () => data, sizeInBytes: (data as Uint16Array).byteLength ?? 0, render: renderGrayscale };
}
