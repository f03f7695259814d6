// The order dropped files are read in: files much larger than the drop's typical file go last (a valid 16384² RLE image
// takes ~14 s to decode in the one decode worker), so they do not hold up the slices queued behind them; the rest keep
// the order they were picked in (the first series to arrive becomes the one shown). Pure; any thread.

/** A file is read last when it is over LARGE_FACTOR × the drop's median size and at least LARGE_MIN_BYTES. */
export const LARGE_FACTOR = 4;
export const LARGE_MIN_BYTES = 2 ** 20;

/** The files in pick order, with the much larger ones moved to the end, smallest of them first (stable). */
export function loadOrder<T extends { file: { size: number } }>(files: readonly T[]): T[] {
  const sizes = files.map((f) => f.file.size).sort((a, b) => a - b);
  const median = sizes[Math.floor((sizes.length - 1) / 2)] ?? 0;
  const large = (f: T) => f.file.size >= LARGE_MIN_BYTES && f.file.size > LARGE_FACTOR * median;
  return [...files.filter((f) => !large(f)), ...files.filter(large).sort((a, b) => a.file.size - b.file.size)];
}
