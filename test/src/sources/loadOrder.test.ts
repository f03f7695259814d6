// Files are read smallest first, and files of equal size keep the order they were picked in.
import { describe, expect, it } from 'vitest';
import { loadOrder } from '../../../src/sources/loadOrder';

const picked = (path: string, bytes: number) => ({ path, file: new Blob([new Uint8Array(bytes)]) });

describe('loadOrder', () => {
  it('puts the huge file last and keeps equal sizes in pick order', () => {
    const files = [picked('huge.dcm', 5000), picked('s1.dcm', 10), picked('mid.dcm', 300), picked('s2.dcm', 10), picked('s3.dcm', 10)];
    expect(loadOrder(files).map((f) => f.path)).toEqual(['s1.dcm', 's2.dcm', 's3.dcm', 'mid.dcm', 'huge.dcm']);
    expect(files[0]!.path).toBe('huge.dcm'); // the input is not reordered in place
  });

  it('handles no files', () => {
    expect(loadOrder([])).toEqual([]);
  });
});
