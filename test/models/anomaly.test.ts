import { describe, expect, it } from 'vitest';
import { cropScores, scoreBoxes } from '../../models/anomaly/postprocess';

describe('anomaly post-processing', () => {
  it('crops the padded score map back to the input size', () => {
    const padded = Float32Array.from({ length: 8 * 8 }, (_, i) => i);
    const s = cropScores(padded, [1, 1, 8, 8], 5, 6);
    expect(s.length).toBe(30);
    expect(s[6]).toBe(8); // row 1, column 0
  });

  it('boxes connected regions above the threshold in source pixel coordinates, most confident first', () => {
    const rows = 10, columns = 12;
    const s = new Float32Array(rows * columns);
    for (let r = 2; r <= 4; r++) for (let c = 3; c <= 6; c++) s[r * columns + c] = 0.2;
    for (let r = 7; r <= 8; r++) for (let c = 9; c <= 10; c++) s[r * columns + c] = 0.5;
    s[0] = 0.9; // a single-pixel speck is dropped (minPixels 4)
    const boxes = scoreBoxes(s, rows, columns, 0.1);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatchObject({ rowMin: 7, rowMax: 8, columnMin: 9, columnMax: 10, pixels: 4 });
    expect(boxes[1]).toMatchObject({ rowMin: 2, rowMax: 4, columnMin: 3, columnMax: 6, pixels: 12 });
    expect(boxes[0]!.confidence).toBeGreaterThan(boxes[1]!.confidence);
    expect(boxes[0]!.confidence).toBeLessThan(1);
  });
});
