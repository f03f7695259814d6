// 8-connected components of the pixels at or above a threshold in a row-major plane: bounding box, area, edge pixels.
// Used by the burned-in text screen (detectCornerText). Thread-neutral, DOM-free, pure; one pass plus a flood fill.

/**
 * One connected component; coordinates are (column, row) in the plane, inclusive. `edge` counts its pixels with a
 * 4-neighbour outside it, so 2 × area / edge is about its stroke width (a 1-px line: 2; a disc of diameter d: d / 2).
 */
export interface Component { id: number; minX: number; maxX: number; minY: number; maxY: number; area: number; edge: number }

/** labels[i] = component id (1-based) of pixel i, 0 below the threshold. */
export function labelComponents(plane: ArrayLike<number>, width: number, height: number, threshold: number): { labels: Int32Array; components: Component[] } {
  const n = width * height;
  const labels = new Int32Array(n);
  const components: Component[] = [];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (labels[start] !== 0 || !(plane[start]! >= threshold)) continue;
    const id = components.length + 1;
    const k: Component = { id, minX: width, maxX: -1, minY: height, maxY: -1, area: 0, edge: 0 };
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width, y = (i - x) / width;
      k.area++;
      if (x < k.minX) k.minX = x;
      if (x > k.maxX) k.maxX = x;
      if (y < k.minY) k.minY = y;
      if (y > k.maxY) k.maxY = y;
      if (x === 0 || x === width - 1 || y === 0 || y === height - 1 || !(plane[i - 1]! >= threshold) || !(plane[i + 1]! >= threshold)
        || !(plane[i - width]! >= threshold) || !(plane[i + width]! >= threshold)) k.edge++;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (labels[j] === 0 && plane[j]! >= threshold) { labels[j] = id; stack[top++] = j; }
        }
      }
    }
    components.push(k);
  }
  return { labels, components };
}
