// The anomaly heatmap of the slice on screen, coloured in the render worker (src/viewer/offThreadRender.ts): a new
// result, a new slice or a new colour scale costs the UI thread a copy of the scores, not a pass over every pixel and
// a putImageData (8–25 ms a slice here while a model ran). The heatmaps of the last few slices are kept, so scrolling
// back and forth colours nothing again; opacity is applied when the overlay is drawn. UI thread.
import { useEffect, useState } from 'react';
import { heatmapCanvas } from './paintOverlay';
import { heatmapOffThread } from './offThreadRender';

type HeatImage = ImageBitmap | HTMLCanvasElement;

/** Colourings by score map (one per slice result) with the colour scale they were made for. */
const recent = new Map<Float32Array, { key: string; image: HeatImage }>();
const RECENT = 12;

function remember(scores: Float32Array, key: string, image: HeatImage): void {
  recent.delete(scores);
  recent.set(scores, { key, image });
  if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
}

/**
 * The colouring of `scores` for the scale threshold → max; while a new one is made (a new scale), the slice keeps the
 * one it had, so dragging the threshold does not flash. Null until a slice's first colouring is ready.
 */
export function useHeatmap(scores: Float32Array | undefined, rows: number, columns: number, threshold: number, max: number): HeatImage | null {
  const key = `${rows}x${columns}|${threshold}|${max}`;
  const [, setMade] = useState(0);
  const entry = scores ? recent.get(scores) : undefined;
  const fresh = entry?.key === key;
  useEffect(() => {
    if (!scores || fresh) return;
    let live = true;
    globalThis.performance?.mark?.('lucid:heatmap', { detail: { rows, columns } }); // counted by the end-to-end tests
    const here = (): HeatImage => heatmapCanvas(scores, rows, columns, threshold, max, 1, false);
    const job: Promise<HeatImage> = heatmapOffThread(scores, rows, columns, threshold, max)?.catch(here) ?? Promise.resolve(here());
    void job.then((image) => {
      remember(scores, key, image);
      if (live) setMade((n) => n + 1);
    });
    return () => { live = false; };
  }, [scores, rows, columns, threshold, max, key, fresh]);
  return entry?.image ?? null;
}
