// 8-connected labelling with bounding boxes, areas and edge counts (the burned-in text screen's building block).
import { describe, expect, it } from 'vitest';
import { labelComponents } from '../../../src/dicom/labelComponents';

const plane = (rows: string[]) => ({ data: rows.flatMap((r) => [...r].map((ch) => (ch === '#' ? 1 : 0))), width: rows[0]!.length, height: rows.length });

describe('labelComponents', () => {
  it('joins diagonal neighbours, keeps separate blobs apart, and labels every pixel', () => {
    const p = plane(['#...##', '.#..##', '..#...', '......', '###...']);
    const { labels, components } = labelComponents(p.data, p.width, p.height, 0.5);
    expect(components.map(({ minX, maxX, minY, maxY, area }) => ({ minX, maxX, minY, maxY, area }))).toEqual([
      { minX: 0, maxX: 2, minY: 0, maxY: 2, area: 3 }, // the diagonal
      { minX: 4, maxX: 5, minY: 0, maxY: 1, area: 4 },
      { minX: 0, maxX: 2, minY: 4, maxY: 4, area: 3 },
    ]);
    expect(labels[0]).toBe(1);
    expect(labels[2 * 6 + 2]).toBe(1);
    expect(labels[5]).toBe(2);
    expect(labels[3]).toBe(0);
  });

  it('counts edge pixels: all of a thin stroke, the rim of a solid block', () => {
    const p = plane(['.......', '.#####.', '.#####.', '.#####.', '.#####.', '.#####.', '.......', '#######']);
    const [block, line] = labelComponents(p.data, p.width, p.height, 0.5).components;
    expect(block!.area).toBe(25);
    expect(block!.edge).toBe(16);
    expect(line!.edge).toBe(line!.area);
  });

  it('treats NaN as below any threshold and handles an empty plane', () => {
    expect(labelComponents([NaN, 1, NaN], 3, 1, 0.5).components).toHaveLength(1);
    expect(labelComponents([], 0, 0, 0.5).components).toEqual([]);
  });
});
