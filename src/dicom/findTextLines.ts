// Lines of text in one contrast plane (a band of a frame, 0 = its background): glyph-sized stroke shapes of one
// height on one baseline, drawn at one level with sharp edges. Used by detectCornerText; reads no text (not OCR).
// Thread-neutral, DOM-free, pure. Coordinates are (column, row) in the plane.
import { labelComponents, type Component } from './labelComponents';

/** Glyph height in pixels: below 5 px nothing is legible. */
export const MIN_GLYPH = 5;
/** A text line has at least this many glyphs of one height on one baseline, at least two of them not solid. */
const MIN_GLYPHS = 4;
/**
 * Text is drawn over whatever lies behind it, with edges at most a pixel soft (antialiasing, compression): the rim
 * touching a glyph may be mid-grey (15 % of the text level and up; at most RIM of them per text pixel), but the
 * ring one pixel further out is clear (under 40 % of the text level; at most RING of it is not). Bright anatomy
 * fades into tissue of nearly its own level, so its ring is not clear.
 */
const RIM = 2;
const RING = 0.12;
/** Text-level pixels in the line's box that belong to no glyph of the line (blobs the glyphs sit on or in). */
const FOREIGN = 0.35;

/** A line's horizontal extent (columns, inclusive) and its score in (0, 1]. */
export interface TextLine { x0: number; x1: number; score: number }

/**
 * Lines whose glyphs reach half the `peak` contrast in `c` (width × height), or, when none do, 70 % of it (soft bold
 * glyphs touch at half height); `maxGlyph` is the tallest glyph in pixels.
 */
export function findTextLines(c: Float32Array, peak: number, width: number, height: number, maxGlyph: number): TextLine[] {
  const lines = linesAt(c, peak / 2, width, height, maxGlyph);
  return lines.length ? lines : linesAt(c, peak * 0.7, width, height, maxGlyph);
}

function linesAt(c: Float32Array, threshold: number, width: number, height: number, maxGlyph: number): TextLine[] {
  const { labels, components } = labelComponents(c, width, height, threshold);
  const lines: TextLine[] = [];
  for (const members of chainLines(components.filter((k) => isGlyph(k, maxGlyph, height)))) {
    const h = medianOf(members.map((k) => k.maxY - k.minY + 1)), baseline = medianOf(members.map((k) => k.maxY));
    const on = members.filter((k) => Math.abs(k.maxY - baseline) <= Math.max(1, 0.15 * h) && k.maxY - k.minY + 1 >= 0.6 * h && k.maxY - k.minY + 1 <= 1.4 * h);
    // Letters are not solid: a row of bars or blocks (ruler ticks, a dashed line) is not text.
    if (on.length < MIN_GLYPHS || on.filter((k) => k.area < 0.8 * (k.maxX - k.minX + 1) * (k.maxY - k.minY + 1)).length < 2) continue;
    const pad = Math.max(3, Math.ceil(h / 4)), left = Math.min(...on.map((k) => k.minX)), right = Math.max(...on.map((k) => k.maxX));
    const box = {
      x0: Math.max(0, left - pad), x1: Math.min(width - 1, right + pad),
      y0: Math.max(0, Math.min(...on.map((k) => k.minY)) - pad), y1: Math.min(height - 1, Math.max(...on.map((k) => k.maxY)) + pad),
    };
    const m = measureLine(c, labels, new Set(on.map((k) => k.id)), box, width, threshold);
    if (m.rim > RIM || m.ring > RING || m.foreign > FOREIGN) continue;
    const score = Math.min(1, on.length / 8) * (1 - (0.5 * m.rim) / RIM) * (1 - (0.5 * m.ring) / RING) * (1 - m.foreign);
    lines.push({ x0: left, x1: right, score });
  }
  return lines;
}

const medianOf = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1]!;

/**
 * In the line's box: mid-grey rim pixels per glyph pixel, the share of the ring (2 px out) that is not clear, and
 * the share of text-level pixels that are foreign (the own glyphs' level is their mean contrast).
 */
function measureLine(c: Float32Array, labels: Int32Array, ids: Set<number>, box: { x0: number; x1: number; y0: number; y1: number }, width: number, threshold: number): { rim: number; ring: number; foreign: number } {
  const bw = box.x1 - box.x0 + 1, bh = box.y1 - box.y0 + 1;
  const own = new Uint8Array(bw * bh);
  let ownCount = 0, level = 0;
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) {
    const i = (y + box.y0) * width + x + box.x0;
    if (ids.has(labels[i]!)) { own[y * bw + x] = 1; ownCount++; level += c[i]!; }
  }
  level /= ownCount;
  const near1 = dilate(own, bw, bh), near2 = dilate(near1, bw, bh);
  let rim = 0, ring = 0, dirty = 0, foreign = 0;
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) {
    const j = y * bw + x, v = c[(y + box.y0) * width + x + box.x0]!;
    if (own[j]) continue;
    if (v >= threshold) foreign++;
    if (near1[j]) { if (v >= 0.15 * level && v < threshold) rim++; } else if (near2[j]) { ring++; if (v >= 0.4 * level) dirty++; }
  }
  return { rim: rim / ownCount, ring: ring ? dirty / ring : 1, foreign: foreign / (foreign + ownCount) };
}

/** 3 × 3 dilation of a 0/1 mask (two 1-D passes). */
function dilate(m: Uint8Array, w: number, h: number): Uint8Array {
  const rowPass = new Uint8Array(m.length), out = new Uint8Array(m.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x;
    rowPass[i] = m[i]! | (x > 0 ? m[i - 1]! : 0) | (x < w - 1 ? m[i + 1]! : 0);
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x;
    out[i] = rowPass[i]! | (y > 0 ? rowPass[i - w]! : 0) | (y < h - 1 ? rowPass[i + w]! : 0);
  }
  return out;
}

/**
 * Glyph-sized; drawn in strokes (stroke width 2 × area / edge under 45 % of the height: a 1-px stroke 5 px tall is
 * 40 %, a disc 50 %); not a solid block unless a thin bar (I, l, 1); not cut by the band's edge (shape unknown).
 */
function isGlyph(k: Component, maxGlyph: number, bandHeight: number): boolean {
  const h = k.maxY - k.minY + 1, w = k.maxX - k.minX + 1;
  if (h < MIN_GLYPH || h > maxGlyph || w > 2 * h) return false;
  if (k.minY === 0 || k.maxY === bandHeight - 1) return false;
  if ((2 * k.area) / k.edge > 0.45 * h) return false;
  return k.area / (w * h) <= 0.85 || w <= 0.4 * h;
}

/** Groups glyphs into lines: heights within 1.6×, overlapping vertically, at most 1.5 glyph heights apart. */
function chainLines(glyphs: Component[]): Component[][] {
  const sorted = [...glyphs].sort((a, b) => a.minX - b.minX);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!; return i; };
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!, ha = a.maxY - a.minY + 1;
    for (let j = i + 1; j < sorted.length && sorted[j]!.minX <= a.maxX + 1.5 * ha; j++) {
      const b = sorted[j]!, hb = b.maxY - b.minY + 1, hMin = Math.min(ha, hb);
      if (Math.max(ha, hb) > 1.6 * hMin) continue;
      if (Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY) + 1 < 0.6 * hMin) continue;
      const gap = b.minX - a.maxX - 1;
      if (gap > 1.5 * hMin || gap < -0.5 * Math.min(a.maxX - a.minX + 1, b.maxX - b.minX + 1)) continue;
      parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, Component[]>();
  sorted.forEach((k, i) => {
    const root = find(i), group = groups.get(root);
    if (group) group.push(k); else groups.set(root, [k]);
  });
  return [...groups.values()].filter((g) => g.length >= MIN_GLYPHS);
}
