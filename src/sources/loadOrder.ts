// The order dropped files are read in: smallest first, so a few huge files (a valid 16384² RLE image takes ~14 s to
// decode in the one decode worker) are read last instead of holding up every slice queued behind them. Pure; any thread.

/** The files by size, smallest first; files of equal size keep their order (a series stays in the order it was picked). */
export function loadOrder<T extends { file: Blob }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => a.file.size - b.file.size);
}
