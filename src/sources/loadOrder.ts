// The order dropped files are read in: files much larger than the drop's typical file go last (a valid 16384² RLE image
// takes ~14 s to decode in the one decode worker), so they do not hold up the slices queued behind them; the rest keep
// the order they were picked in (the first series to arrive becomes the one shown). Pure; any thread.

/** A file is read last when it is over LARGE_FACTOR × the drop's median size and at least LARGE_MIN_BYTES. */
export const LARGE_FACTOR = 4;
export const LARGE_MIN_BYTES = 2 ** 20;

/** The median file size of a drop, in bytes (the lower middle one for an even count; 0 for no files). */
export function medianSize(files: readonly { file: { size: number } }[]): number {
  const sizes = files.map((f) => f.file.size).sort((a, b) => a - b);
  return sizes[Math.floor((sizes.length - 1) / 2)] ?? 0;
}

/** Whether a file is read last (and its reading shown by name) in a drop whose median size is `median` bytes. */
export function isLarge(file: { size: number }, median: number): boolean {
  return file.size >= LARGE_MIN_BYTES && file.size > LARGE_FACTOR * median;
}

/** The files in pick order, with the much larger ones moved to the end, smallest of them first (stable). */
export function loadOrder<T extends { file: { size: number } }>(files: readonly T[], median = medianSize(files)): T[] {
  const large = (f: T) => isLarge(f.file, median);
  return [...files.filter((f) => !large(f)), ...files.filter(large).sort((a, b) => a.file.size - b.file.size)];
}
