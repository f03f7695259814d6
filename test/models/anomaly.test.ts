import { describe, expect, it } from 'vitest';
import { boxesAt, cropScores, formatRegionScore, REGION_SCORE_MEANING, scoreBoxes } from '../../models/anomaly/postprocess';

describe('anomaly post-processing', () => {
  it('crops the padded score map back to the input size', () => {
    const padded = Float32Array.from({ length: 8 * 8 }, (_, i) => i);
    const s = cropScores(padded, [1, 1, 8, 8], 5, 6);
    expect(s.length).toBe(30);
    expect(s[6]).toBe(8); // row 1, column 0
  });

  it('boxes connected regions above the threshold in source pixel coordinates, highest peak first', () => {
    const rows = 10, columns = 12;
    const s = new Float32Array(rows * columns);
    for (let r = 2; r <= 4; r++) for (let c = 3; c <= 6; c++) s[r * columns + c] = 0.2;
    for (let r = 7; r <= 8; r++) for (let c = 9; c <= 10; c++) s[r * columns + c] = 0.5;
    s[0] = 0.9; // a single-pixel speck is dropped (minPixels 4)
    const boxes = scoreBoxes(s, rows, columns, 0.1, 0.25);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatchObject({ rowMin: 7, rowMax: 8, columnMin: 9, columnMax: 10, pixels: 4 });
    expect(boxes[1]).toMatchObject({ rowMin: 2, rowMax: 4, columnMin: 3, columnMax: 6, pixels: 12 });
    expect(boxes[0]!.peak).toBeCloseTo(0.5, 6);
    expect(boxes[0]!.score).toBeCloseTo(2, 5); // 0.5 ÷ the reference 0.25
    expect(boxes[1]!.score).toBeCloseTo(0.8, 5);
  });

  it('joins 4-neighbours only: not diagonals, not across the row wrap; follows winding regions whole', () => {
    const rows = 10, columns = 9;
    const s = new Float32Array(rows * columns);
    // A winding band: rows 0, 2, 4 full, joined by single pixels at alternate ends.
    for (const r of [0, 2, 4]) for (let c = 0; c < columns; c++) s[r * columns + c] = 0.3;
    s[1 * columns + 8] = 0.3; s[3 * columns + 0] = 0.3;
    // Two 2 × 2 squares touching only at a corner, and a run ending at the right edge that would wrap to the next row.
    for (const [r0, c0] of [[6, 0], [8, 2]] as const) for (let r = r0; r < r0 + 2; r++) for (let c = c0; c < c0 + 2; c++) s[r * columns + c] = 0.2;
    for (let c = 5; c < 9; c++) s[6 * columns + c] = 0.25;
    s[7 * columns + 0] = 0.2;
    const boxes = scoreBoxes(s, rows, columns, 0.1, 0.1);
    expect(boxes.map((b) => [b.rowMin, b.rowMax, b.columnMin, b.columnMax, b.pixels])).toEqual([
      [0, 4, 0, 8, 29], [6, 6, 5, 8, 4], [6, 7, 0, 1, 4], [8, 9, 2, 3, 4],
    ]);
  });

  it('reuses the boxes found at the same threshold and finds them anew at another', () => {
    const rows = 6, columns = 6, scores = new Float32Array(rows * columns);
    for (let r = 1; r <= 3; r++) for (let c = 1; c <= 3; c++) scores[r * columns + c] = 0.2 + 0.1 * r;
    const boxes = scoreBoxes(scores, rows, columns, 0.1, 0.1);
    const result = { scores, rows, columns, threshold: 0.1, reference: 0.1, boxes };
    expect(boxesAt(result, 0.1)).toBe(boxes);
    expect(boxesAt(result, 0.35)).toEqual(scoreBoxes(scores, rows, columns, 0.35, 0.1));
    expect(boxesAt(result, 0.35)[0]).toMatchObject({ rowMin: 2, rowMax: 3, pixels: 6 });
  });

  it("gives a region the same score at every threshold that keeps it whole (the slider only picks regions)", () => {
    // Issue 13: the old number was 1 − exp(−peak / threshold), so one region read 64 % and then 99 % as the slider fell.
    const rows = 12, columns = 12, scores = new Float32Array(rows * columns);
    for (let r = 3; r <= 7; r++) for (let c = 3; c <= 7; c++) scores[r * columns + c] = 0.3 - 0.04 * Math.hypot(r - 5, c - 5);
    const result = { scores, rows, columns, threshold: 0.144, reference: 0.144, boxes: scoreBoxes(scores, rows, columns, 0.144, 0.144) };
    const high = boxesAt(result, 0.2), low = boxesAt(result, 0.05);
    expect(high).toHaveLength(1);
    expect(low).toHaveLength(1);
    expect(low[0]!.pixels).toBeGreaterThan(high[0]!.pixels); // the slider changed the region's extent…
    expect(low[0]!.score).toBe(high[0]!.score); // …not its score
    expect(formatRegionScore(low[0]!.score)).toBe(formatRegionScore(high[0]!.score));
    expect(formatRegionScore(high[0]!.score)).toBe('2.08'); // 0.3 ÷ 0.144
    expect(REGION_SCORE_MEANING).toMatch(/not a probability/);
    expect(REGION_SCORE_MEANING).not.toMatch(/%\s*(chance|probab)/i);
  });
});
