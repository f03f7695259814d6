// Overlapping tiles with feathered seams, so an image of any size runs with bounded memory and no visible seams.
// Thread-neutral, pure (the model call is passed in). Coordinates: input pixels (row, column); outputs are `scale`
// times larger (sr-x2: 2). Near a cut edge a tile's output lacks context, so its weight there is zero for `margin`
// pixels and then ramps up over `ramp` pixels; the two ramps of neighbouring tiles sum to one (a partition of unity),
// so away from the image border tiled output equals untiled output when `margin` covers the receptive field.

export interface TileOptions {
  /** Tile edge in input pixels (a multiple of `align`). Images no larger than this run in one piece. */
  tile: number;
  /** Pixels next to a cut edge whose output is not used (≥ the model's receptive-field radius). */
  margin: number;
  /** Width of the cross-fade after the margin. Overlap between tiles = 2·margin + ramp. */
  ramp: number;
  /** Output pixels per input pixel along each axis. */
  scale: number;
  /** Tile starts and sizes are multiples of this (models that downsample by 4 need 4). */
  align: number;
}

export const DEFAULT_TILING: Omit<TileOptions, 'scale' | 'align'> = { tile: 512, margin: 32, ramp: 16 };

export interface Tile { row: number; column: number; rows: number; columns: number }

/** Tile starts along one axis of length n. Consecutive tiles overlap by at least 2·margin + ramp. */
export function tileStarts(n: number, tile: number, overlap: number, align: number): number[] {
  if (n <= tile) return [0];
  const step = Math.floor((tile - overlap) / align) * align;
  if (step <= 0) throw new RangeError(`tile ${tile} too small for overlap ${overlap}`);
  const starts: number[] = [];
  for (let s = 0; s + tile < n; s += step) starts.push(s);
  starts.push(n - tile);
  return starts;
}

export function planTiles(rows: number, columns: number, o: TileOptions): Tile[] {
  if (o.tile % o.align !== 0) throw new RangeError(`tile ${o.tile} is not a multiple of ${o.align}`);
  if (rows % o.align !== 0 || columns % o.align !== 0) throw new RangeError(`image ${rows} × ${columns} is not padded to a multiple of ${o.align}`);
  const overlap = 2 * o.margin + o.ramp;
  const tiles: Tile[] = [];
  for (const row of tileStarts(rows, o.tile, overlap, o.align)) {
    for (const column of tileStarts(columns, o.tile, overlap, o.align)) {
      tiles.push({ row, column, rows: Math.min(o.tile, rows), columns: Math.min(o.tile, columns) });
    }
  }
  return tiles;
}

/** 1-D weights of a tile covering output positions [start, start + len) of an axis of length n (output pixels). */
export function featherWeights(start: number, len: number, n: number, margin: number, ramp: number): Float32Array {
  const w = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    const fromStart = start > 0 ? i : Infinity;
    const fromEnd = start + len < n ? len - 1 - i : Infinity;
    const d = Math.min(fromStart, fromEnd);
    w[i] = Math.min(1, Math.max(0, (d - margin + 0.5) / ramp));
  }
  return w;
}

/** Copies one tile of a row-major image. */
export function cropTile(x: Float32Array, columns: number, t: Tile): Float32Array {
  const out = new Float32Array(t.rows * t.columns);
  for (let r = 0; r < t.rows; r++) out.set(x.subarray((t.row + r) * columns + t.column, (t.row + r) * columns + t.column + t.columns), r * t.columns);
  return out;
}

export type RunTile = (tile: Float32Array, rows: number, columns: number) => Promise<Float32Array>;

/**
 * Runs `runTile` over the tiles of a rows × columns image and blends the outputs (rows·scale × columns·scale).
 * `onTile(done, total)` after each tile (awaited when it returns a promise); `signal` stops between tiles.
 */
export async function runTiled(x: Float32Array, rows: number, columns: number, o: TileOptions, runTile: RunTile,
  onTile?: (done: number, total: number) => unknown, signal?: { aborted: boolean }): Promise<Float32Array> {
  const tiles = planTiles(rows, columns, o);
  const s = o.scale, outRows = rows * s, outColumns = columns * s;
  if (tiles.length === 1) {
    const y = await runTile(x, rows, columns);
    await onTile?.(1, 1);
    return y;
  }
  const acc = new Float32Array(outRows * outColumns);
  const weight = new Float32Array(outRows * outColumns);
  let done = 0;
  for (const t of tiles) {
    if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    const y = await runTile(cropTile(x, columns, t), t.rows, t.columns);
    const th = t.rows * s, tw = t.columns * s;
    if (y.length !== th * tw) throw new RangeError(`tile output has ${y.length} values, expected ${th} × ${tw}`);
    const wr = featherWeights(t.row * s, th, outRows, o.margin * s, o.ramp * s);
    const wc = featherWeights(t.column * s, tw, outColumns, o.margin * s, o.ramp * s);
    for (let r = 0; r < th; r++) {
      const base = (t.row * s + r) * outColumns + t.column * s;
      for (let c = 0; c < tw; c++) {
        const w = wr[r]! * wc[c]!;
        if (w === 0) continue;
        acc[base + c]! += w * y[r * tw + c]!;
        weight[base + c]! += w;
      }
    }
    await onTile?.(++done, tiles.length); // awaited: a proxied callback reports in order, before the result
  }
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! / weight[i]!;
  return acc;
}
