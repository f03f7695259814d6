// Stored values and rescale of the frames that annotations sit on, for our own measurement numbers (src/shared/
// measure.ts). Loaded through cornerstone's cache (the same decoded frame the viewport shows; nothing is copied).
// UI thread (React hook). Colour frames have no modality values and give null.
import { useEffect, useRef, useState } from 'react';
import cornerstone from 'cornerstone-core';
import type { MeasurePixels } from '../shared/measure';

export async function loadMeasurePixels(imageId: string): Promise<MeasurePixels | null> {
  const image = await cornerstone.loadAndCacheImage(imageId);
  if (image.color) return null;
  return { values: image.getPixelData(), rows: image.rows, columns: image.columns, slope: image.slope, intercept: image.intercept };
}

/** Pixels per imageId for `imageIds` (a map that fills in as frames load; failures stay absent, others are dropped). */
export function useMeasurePixels(imageIds: readonly string[]): ReadonlyMap<string, MeasurePixels | null> {
  const [loaded, setLoaded] = useState<ReadonlyMap<string, MeasurePixels | null>>(new Map());
  const latest = useRef(loaded);
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: the effect skips frames already loaded without re-running when they arrive
  latest.current = loaded;
  const key = [...new Set(imageIds)].sort().join('\n');
  useEffect(() => {
    let cancelled = false;
    const wanted = new Set(key ? key.split('\n') : []);
    for (const id of wanted) {
      if (latest.current.has(id)) continue;
      loadMeasurePixels(id).then((p) => {
        if (!cancelled) setLoaded((m) => (m.has(id) ? m : new Map(m).set(id, p)));
      }).catch(() => { /* the viewport reports load failures */ });
    }
    // eslint-disable-next-line react-hooks/set-state-in-effect -- drops frames no longer wanted; returns the same map (no render) when none
    setLoaded((m) => {
      const kept = new Map([...m].filter(([id]) => wanted.has(id)));
      return kept.size === m.size ? m : kept;
    });
    return () => { cancelled = true; };
  }, [key]);
  return loaded;
}
