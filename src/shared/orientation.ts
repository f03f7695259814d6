// Orientation markers and the scale bar of a 2D view (what the edges of the image point at in the patient, and how
// long a bar of round length is on screen). Pure, thread-neutral.

/** Patient directions (LPS): +x left, +y posterior, +z head (PS3.3 C.7.6.2.1.1). */
const AXES: [plus: string, minus: string][] = [['L', 'R'], ['P', 'A'], ['H', 'F']];

/**
 * The letters for a direction in patient space: the axes it leans along, strongest first (an oblique direction gets
 * two or three letters, as other viewers show it). Components under `min` (cosine) are left out.
 */
export function directionLetters(v: readonly [number, number, number], min = 0.3): string {
  return [0, 1, 2]
    .filter((k) => Math.abs(v[k]!) >= min)
    .sort((a, b) => Math.abs(v[b]!) - Math.abs(v[a]!))
    .map((k) => AXES[k]![v[k]! > 0 ? 0 : 1])
    .join('');
}

export interface EdgeLabels { left: string; right: string; top: string; bottom: string }

/**
 * What each edge of the image points at, from Image Orientation (Patient): the row direction runs towards the
 * right edge, the column direction towards the bottom; `hflip`/`vflip` are the view's flips. Null without a valid IOP.
 */
export function edgeLabels(iop: readonly number[] | null, hflip = false, vflip = false): EdgeLabels | null {
  if (!iop || iop.length !== 6 || !iop.every(Number.isFinite)) return null;
  const row = [iop[0]!, iop[1]!, iop[2]!] as const, col = [iop[3]!, iop[4]!, iop[5]!] as const;
  if (Math.hypot(...row) < 0.5 || Math.hypot(...col) < 0.5) return null;
  const neg = (v: readonly [number, number, number]) => [-v[0], -v[1], -v[2]] as [number, number, number];
  const right = directionLetters(row), left = directionLetters(neg(row));
  const bottom = directionLetters(col), top = directionLetters(neg(col));
  return { left: hflip ? right : left, right: hflip ? left : right, top: vflip ? bottom : top, bottom: vflip ? top : bottom };
}

/**
 * A scale bar of round length (1, 2 or 5 × 10ⁿ mm) close to `targetPx` on screen, given screen pixels per mm.
 * Null when the spacing is unknown or absurd.
 */
export function scaleBar(pxPerMm: number, targetPx = 120): { mm: number; px: number } | null {
  if (!(pxPerMm > 0) || !Number.isFinite(pxPerMm)) return null;
  const raw = targetPx / pxPerMm;
  const p = 10 ** Math.floor(Math.log10(raw));
  const mm = [1, 2, 5, 10].map((m) => m * p).reduce((best, m) => (Math.abs(Math.log(m / raw)) < Math.abs(Math.log(best / raw)) ? m : best));
  return { mm, px: mm * pxPerMm };
}

/** Where the slice lies along its axis: Slice Location when the file has it, else the position along the normal. */
export function sliceLocationOf(h: { sliceLocation: number | null; imagePositionPatient: readonly number[] | null; imageOrientationPatient: readonly number[] | null }): number | null {
  if (h.sliceLocation !== null && Number.isFinite(h.sliceLocation)) return h.sliceLocation;
  const p = h.imagePositionPatient, o = h.imageOrientationPatient;
  if (!p || !o) return null;
  const n = [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!];
  const len = Math.hypot(...n);
  return len > 0.5 ? (p[0]! * n[0]! + p[1]! * n[1]! + p[2]! * n[2]!) / len : null;
}
