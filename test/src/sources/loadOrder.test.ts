// Much larger files are read last, smallest of them first; everything else keeps the order it was picked in.
import { describe, expect, it } from 'vitest';
import { LARGE_MIN_BYTES, isLarge, loadOrder, medianSize } from '../../../src/sources/loadOrder';

const picked = (path: string, size: number) => ({ path, file: { size } });
const MiB = 2 ** 20;

describe('loadOrder', () => {
  it('moves files over 4× the median (and ≥ 1 MiB) to the end, smallest first; the rest keep pick order', () => {
    const files = [
      picked('huge.dcm', 40 * MiB), picked('ct1.dcm', 520_000), picked('mr1.dcm', 130_000), picked('big.dcm', 9 * MiB),
      picked('ct2.dcm', 520_000), picked('mr2.dcm', 130_000), picked('ct3.dcm', 520_000),
    ];
    expect(loadOrder(files).map((f) => f.path)).toEqual(['ct1.dcm', 'mr1.dcm', 'ct2.dcm', 'mr2.dcm', 'ct3.dcm', 'big.dcm', 'huge.dcm']);
    expect(files[0]!.path).toBe('huge.dcm'); // the input is not reordered in place
  });

  it('keeps pick order when sizes differ but nothing is large (a small series before a larger one stays second)', () => {
    const files = [picked('ct.dcm', 520_000), picked('tiny.dcm', 1000), picked('ct-b.dcm', 900_000)];
    expect(loadOrder(files).map((f) => f.path)).toEqual(['ct.dcm', 'tiny.dcm', 'ct-b.dcm']);
  });

  it('does not defer a file below LARGE_MIN_BYTES, nor one file alone, and handles no files', () => {
    expect(loadOrder([picked('a', 10), picked('b', LARGE_MIN_BYTES - 1), picked('c', 10)]).map((f) => f.path)).toEqual(['a', 'b', 'c']);
    expect(loadOrder([picked('only', 50 * MiB)]).map((f) => f.path)).toEqual(['only']);
    expect(loadOrder([])).toEqual([]);
  });

  it('isLarge is the rule loadOrder applies, against the drop\'s median (the lower middle size)', () => {
    const files = [picked('a', 100_000), picked('b', 300_000), picked('c', 5 * MiB), picked('d', 200_000)];
    expect(medianSize(files)).toBe(200_000);
    expect(medianSize([])).toBe(0);
    expect(files.filter((f) => isLarge(f.file, 200_000)).map((f) => f.path)).toEqual(['c']);
    expect(isLarge({ size: 800_001 }, 200_000)).toBe(false); // over 4× the median but under LARGE_MIN_BYTES
    expect(isLarge({ size: 4 * MiB }, MiB)).toBe(false); // not over 4×
    expect(isLarge({ size: 4 * MiB + 1 }, MiB)).toBe(true);
  });
});
