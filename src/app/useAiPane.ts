// After a practice answer: the model's output on the slice in view, for a pane beside the image — the enhanced slice
// the educator attached, or the slice with the attached anomaly map and the model's boxes coloured by how they fared
// against the key (hit green, false red). UI thread; values come from storage, shown through the derived-image store.
import { useEffect, useMemo, useState } from 'react';
import type { Case, ImageRef } from '../teaching/model';
import type { AiResult } from './usePractice';
import type { LucidDb } from '../storage/db';
import { getOutputs } from '../storage/outputs';
import { derivedImageId, putDerived } from '../viewer/derivedImages';
import { paintOverlay } from '../viewer/paintOverlay';
import { paintRegions } from '../viewer/regionDrawing';
import { autoWindow } from '../shared/voi';
import { MODEL_CATALOG } from '../../models/catalog';
import { attachedHeatmap } from './useAttachments';

const on = (a: ImageRef, b: ImageRef | null) => !!b && a.sopInstanceUID === b.sopInstanceUID && a.frame === b.frame;

export function useAiPane(db: () => Promise<LucidDb>, c: Case | null, ai: AiResult | null, answered: boolean, image: ImageRef | null, imageId: string | undefined, modality: string, pixelSpacing: [number, number] | null) {
  const [values, setValues] = useState(new Map<string, { values: Float32Array; rows: number; columns: number }>());
  const keys = answered && c ? c.attachments.map((a) => a.dataKey).join() : '';
  useEffect(() => {
    let live = true;
    void db().then((d) => getOutputs(d, keys ? keys.split(',') : [])).then((m) => { if (live) setValues(new Map(m)); }, () => undefined);
    return () => { live = false; };
  }, [db, keys]);

  return useMemo(() => {
    if (!answered || !c || !image || !imageId) return null;
    const attachment = c.attachments.find((a) => a.kind === 'enhanced' && on(a.source, image)) ?? c.attachments.find((a) => on(a.source, image));
    const o = attachment ? values.get(attachment.dataKey) : undefined;
    if (!attachment || !o) return null;
    const title = MODEL_CATALOG[attachment.modelId].title;
    if (attachment.kind === 'enhanced') {
      const key = `practice-ai|${attachment.dataKey}`;
      const scale = o.columns / (attachment.columns || o.columns);
      putDerived(key, {
        values: o.values, rows: o.rows, columns: o.columns, pixelSpacing: pixelSpacing ? [pixelSpacing[0] / scale, pixelSpacing[1] / scale] : null,
        window: modality === 'CT' ? { center: 40, width: 400 } : autoWindow(o.values, 1, 0, 4),
      });
      return { imageId: derivedImageId(key), label: `AI: ${title} (what the model made of this slice)`, paint: undefined };
    }
    const heat = attachedHeatmap(c, image, (k) => values.get(k)?.values, modality);
    const hits = new Set(ai?.score.marks.filter((m) => m.findingId).map((m) => m.markId));
    const boxes = (ai?.marks ?? []).filter((m) => on(m.image, image)).map((m) => ({ region: m.region, label: 'AI', colour: hits.has(m.id) ? '#66bb6a' : '#ef5350' }));
    const paint = (el: HTMLElement, ctx: CanvasRenderingContext2D) => { paintOverlay(el, ctx, { heatmap: heat }); paintRegions(el, ctx, boxes); };
    return { imageId, label: `AI: ${title} — boxes green where they hit the key, red where not`, paint };
  }, [answered, c, image, imageId, values, ai, modality, pixelSpacing]);
}
