// Modality LUT and VOI (window/level) maths, PS3.3 C.11.1 and C.11.2.1.2. Thread-neutral, pure.
// Units: stored values → modality values (HU for CT) by slope/intercept; windows are in modality values.

export interface Window { center: number; width: number }

export const WINDOW_PRESETS: Readonly<Record<string, readonly { name: string; key: string; window: Window }[]>> = Object.freeze({
  CT: [
    { name: 'Brain', key: '1', window: { center: 40, width: 80 } },
    { name: 'Subdural', key: '2', window: { center: 75, width: 215 } },
    { name: 'Lung', key: '3', window: { center: -600, width: 1500 } },
    { name: 'Mediastinum', key: '4', window: { center: 50, width: 350 } },
    { name: 'Abdomen', key: '5', window: { center: 40, width: 400 } },
    { name: 'Bone', key: '6', window: { center: 480, width: 2500 } },
  ],
});

export function toModality(stored: number, slope: number, intercept: number): number {
  return stored * slope + intercept;
}

/**
 * A window covering the 1st–99th percentile of modality values ("MR auto"): robust to a few hot pixels.
 * `stride` subsamples large images; the histogram has 1024 bins between min and max.
 */
export function autoWindow(data: ArrayLike<number>, slope: number, intercept: number, stride = 1): Window {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < data.length; i += stride) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { center: 0, width: 1 };
  const bins = new Uint32Array(1024);
  const span = max - min || 1;
  let n = 0;
  for (let i = 0; i < data.length; i += stride) {
    bins[Math.min(1023, Math.floor(((data[i]! - min) / span) * 1024))]!++;
    n++;
  }
  const pick = (q: number) => {
    let acc = 0;
    for (let b = 0; b < 1024; b++) { acc += bins[b]!; if (acc >= q * n) return min + (b / 1024) * span; }
    return max;
  };
  const lo = toModality(pick(0.01), slope, intercept);
  const hi = toModality(pick(0.99) + span / 1024, slope, intercept);
  const a = Math.min(lo, hi), b = Math.max(lo, hi);
  return { center: (a + b) / 2, width: Math.max(1, b - a) };
}

/** Window from the header when present (first value), else computed from the data. */
export function initialWindow(header: { windowCenter: number[]; windowWidth: number[]; rescaleSlope: number; rescaleIntercept: number }, data: ArrayLike<number>): Window {
  const c = header.windowCenter[0], w = header.windowWidth[0];
  if (c !== undefined && w !== undefined && w > 0) return { center: c, width: w };
  return autoWindow(data, header.rescaleSlope, header.rescaleIntercept, Math.max(1, Math.floor(data.length / 65536)));
}

/** Linear VOI function (PS3.3 C.11.2.1.2.1) → display value in [0, 255]. */
export function applyWindow(modalityValue: number, w: Window): number {
  const c = w.center - 0.5, width = w.width - 1;
  if (modalityValue <= c - width / 2) return 0;
  if (modalityValue > c + width / 2) return 255;
  return ((modalityValue - c) / width + 0.5) * 255;
}
