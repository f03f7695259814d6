// Burned-in text in the pixels: finds lines of glyph-like blobs in the top and bottom bands of one frame, so that
// de-identification never passes pixels as clean unseen (PS3.15 Annex E: the Basic Profile does not clean pixels).
// A screening heuristic, not OCR: it reads no text and removes nothing. Thread-neutral, DOM-free, pure.
import { findTextLines, MIN_GLYPH } from './findTextLines';

export type TextCorner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
export interface CornerTextFrame { rows: number; columns: number; samples: 1 | 3; data: ArrayLike<number> }
export interface CornerTextResult { found: boolean; regions: { corner: TextCorner; score: number }[] }

/** Top and bottom bands searched, as a fraction of the rows (patient text sits in the corners, PS3.15 E.3.1). */
const BAND = 0.2;
/** Tallest glyph: above 7 % of the short side it is a title, not a label. */
const MAX_GLYPH_FRACTION = 0.07;
/** Text contrast against the band's background, as a fraction of the frame's range. */
const MIN_CONTRAST = 0.1;
/** Text contrast against the noise of the band's background: noise alone must not make glyphs. */
const MIN_SNR = 8;
/** Pixels needed at a level before it counts as the band's brightest (one hot pixel must not set the threshold). */
const PEAK_PIXELS = 12;

/** Text-like high-contrast blocks in the corners of one frame (stored values; samples 1 or 3 interleaved). */
export function detectCornerText(frame: CornerTextFrame): CornerTextResult {
  const { samples, data } = frame;
  const columns = Math.max(0, Math.floor(frame.columns) || 0);
  // Trust only whole rows that the data really holds.
  const rows = columns ? Math.min(Math.max(0, Math.floor(frame.rows) || 0), Math.floor(data.length / (columns * samples))) : 0;
  if (rows < MIN_GLYPH) return { found: false, regions: [] };
  const bandRows = Math.min(rows, Math.max(MIN_GLYPH * 3, Math.ceil(rows * BAND)));
  const maxGlyph = Math.max(16, Math.round(MAX_GLYPH_FRACTION * Math.min(rows, columns)));
  const bands = [0, rows - bandRows].map((r0) => read(data, r0 * columns * samples, columns * bandRows * samples));
  const range = frameRange(data, bands, rows, columns * samples, bandRows);
  if (!range) return { found: false, regions: [] };
  const best = new Map<TextCorner, number>();
  const c = new Float32Array(columns * bandRows);
  bands.forEach((band, b) => {
    const peaks = bandContrast(band, samples, range, c);
    for (const [k, peak] of peaks.entries()) {
      if (k === 1) for (let i = 0; i < c.length; i++) c[i] = -c[i]!; // the dark polarity: background minus value
      if (peak) for (const line of findTextLines(c, peak, columns, bandRows, maxGlyph)) {
        // A line reaching across the middle is in both corners.
        for (const side of [line.x0 < columns / 2 ? 'left' : '', line.x1 >= columns / 2 ? 'right' : ''].filter(Boolean)) {
          const corner = `${b ? 'bottom' : 'top'}-${side}` as TextCorner;
          best.set(corner, Math.max(best.get(corner) ?? 0, line.score));
        }
      }
    }
  });
  const regions = [...best].map(([corner, score]) => ({ corner, score: Math.round(score * 1000) / 1000 }));
  return { found: regions.length > 0, regions };
}

/**
 * data[start, start + length) as float32. Typed arrays go through the native set(), so the loops that follow read
 * one array type whatever the stored type (one loop over many stored types runs several times slower).
 */
function read(data: ArrayLike<number>, start: number, length: number): Float32Array {
  const out = new Float32Array(length);
  if (ArrayBuffer.isView(data)) out.set((data as unknown as Float64Array).subarray(start, start + length));
  else for (let i = 0; i < length; i++) out[i] = data[start + i]!;
  return out;
}

/**
 * The frame's finite minimum and scale (1 / range): exact over the bands, every 4th row between them (the middle
 * only sets the scale). Null when there is no spread (constant, all NaN).
 */
function frameRange(data: ArrayLike<number>, bands: Float32Array[], rows: number, rowLength: number, bandRows: number): { lo: number; scale: number } | null {
  let lo = Infinity, hi = -Infinity;
  const scan = (v: Float32Array) => {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x - x !== 0) continue; // NaN, ±Infinity (and float64 beyond float32's range)
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  };
  bands.forEach(scan);
  for (let r = bandRows; r < rows - bandRows; r += 4) scan(read(data, r * rowLength, rowLength));
  const scale = 1 / (hi - lo);
  return hi > lo && scale > 0 && Number.isFinite(scale) ? { lo, scale } : null;
}

const BINS = 4096;

/**
 * Fills `c` with the contrast of band `v` (its values, normalised here in place) in units of the frame's range,
 * 0 = the band's background (its median; NaN and infinities count as background). Grey: value minus background;
 * colour: the largest channel difference from the background colour, so text of any colour on any flat page.
 * Returns the peak contrast of each polarity (grey: brighter, then darker, for dark text on a light page; colour:
 * one), 0 for a polarity not worth a search: below MIN_CONTRAST, or within MIN_SNR of the background's noise.
 */
function bandContrast(v: Float32Array, samples: 1 | 3, range: { lo: number; scale: number }, c: Float32Array): number[] {
  const n = c.length, { lo, scale } = range;
  const hist = new Uint32Array(BINS * samples);
  for (let i = 0; i < v.length; i++) {
    const x = (v[i]! - lo) * scale;
    if (x >= 0 && x <= 1) hist[(i % samples) * BINS + Math.min(BINS - 1, Math.floor(x * BINS))]!++;
    v[i] = x >= 0 && x <= 1 ? x : NaN;
  }
  const bg = [0, 1, 2].slice(0, samples).map((ch) => quantile(hist.subarray(ch * BINS, (ch + 1) * BINS), 0.5) / BINS);
  const dist = new Uint32Array(BINS); // histogram of |contrast| (grey) or of the colour distance
  if (samples === 1) {
    const b0 = bg[0]!, bgBin = Math.round(b0 * BINS);
    for (let i = 0; i < n; i++) { const d = v[i]! - b0; c[i] = d === d ? d : 0; }
    for (let b = 0; b < BINS; b++) dist[Math.abs(b - bgBin)]! += hist[b]!;
  } else {
    const [r, g, b] = bg as [number, number, number];
    for (let i = 0; i < n; i++) {
      const d = Math.max(Math.abs(v[3 * i]! - r), Math.abs(v[3 * i + 1]! - g), Math.abs(v[3 * i + 2]! - b));
      c[i] = d === d ? d : 0;
      dist[Math.min(BINS - 1, Math.floor(c[i]! * BINS))]!++;
    }
  }
  const noise = (1.4826 * quantile(dist, 0.5)) / BINS;
  const keep = (peak: number) => (peak >= MIN_CONTRAST && peak >= MIN_SNR * noise ? peak : 0);
  if (samples === 3) return [keep(topLevel(dist) / BINS)];
  return [keep(topLevel(hist) / BINS - bg[0]!), keep(bg[0]! - bottomLevel(hist) / BINS)];
}

/** The bin below which `q` of the counts lie. */
function quantile(hist: Uint32Array, q: number): number {
  let total = 0;
  for (let b = 0; b < hist.length; b++) total += hist[b]!;
  let acc = 0;
  for (let b = 0; b < hist.length; b++) { acc += hist[b]!; if (acc >= q * total) return b; }
  return 0;
}

/** The highest (lowest) bin reached by at least PEAK_PIXELS pixels: one hot pixel must not set the text level. */
function topLevel(hist: Uint32Array): number {
  let acc = 0;
  for (let b = hist.length - 1; b > 0; b--) { acc += hist[b]!; if (acc >= PEAK_PIXELS) return b; }
  return 0;
}
function bottomLevel(hist: Uint32Array): number {
  let acc = 0;
  for (let b = 0; b < hist.length - 1; b++) { acc += hist[b]!; if (acc >= PEAK_PIXELS) return b; }
  return hist.length - 1;
}
