// Attaching a model's output on the slice in view to the open case ("what AI sees"): the enhanced values or the
// anomaly scores the inference engine already holds, with the model's sha256, saved with the case. Also the
// attached anomaly map of the slice in view, ready to paint. UI thread; the values are copied once, when attached.
import { useCallback, useMemo } from 'react';
import { ENHANCE_MODEL_IDS, MODEL_CATALOG, type ModelId } from '../../models/catalog';
import { SCREEN_THRESHOLD } from '../../models/anomaly/postprocess';
import { modelModality } from '../../models/shared/normalise';
import { newId, type Case, type ImageRef, type ModelAttachment } from '../teaching/model';
import type { StoredOutput } from '../storage/db';
import { getDerived } from '../viewer/derivedImages';
import { heatmapCanvas } from '../viewer/paintOverlay';
import { enhancedKey, type useInference } from './useInference';
import type { Teaching } from './useTeaching';

export interface AvailableOutput { modelId: ModelId; title: string; kind: ModelAttachment['kind'] }

export function useAttachments(inference: ReturnType<typeof useInference>, t: Teaching, imageId: string | null, image: ImageRef | null) {
  const { version } = inference;
  const available = useMemo<AvailableOutput[]>(() => {
    if (!imageId) return [];
    const out: AvailableOutput[] = [];
    for (const m of ENHANCE_MODEL_IDS) if (getDerived(enhancedKey(m, imageId))) out.push({ modelId: m, title: MODEL_CATALOG[m].title, kind: 'enhanced' });
    if (inference.screen(imageId)) out.push({ modelId: 'anomaly', title: MODEL_CATALOG.anomaly.title, kind: 'anomaly-map' });
    return out;
  }, [imageId, inference, version]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks new results

  const attach = useCallback((modelId: ModelId) => {
    if (!imageId || !image) return;
    const d = modelId === 'anomaly' ? inference.screen(imageId) : getDerived(enhancedKey(modelId, imageId));
    if (!d) return;
    const values = 'scores' in d ? d.scores : d.values;
    const key = newId();
    const output: StoredOutput = { key, values: values.slice(), rows: d.rows, columns: d.columns };
    const attachment: ModelAttachment = {
      id: newId(), modelId, modelSha256: MODEL_CATALOG[modelId].sha256, source: image, kind: modelId === 'anomaly' ? 'anomaly-map' : 'enhanced',
      rows: d.rows, columns: d.columns, dataKey: key, createdAt: Date.now(),
    };
    void t.editCase({ type: 'add-attachment', attachment }, [output]);
  }, [imageId, image, inference, t]);

  return { available, attach };
}

/** The attached anomaly map of `image` in `c`, as a heatmap canvas at the model's default threshold (or null). */
export function attachedHeatmap(c: Case | null, image: ImageRef | null, values: (key: string) => Float32Array | undefined, modality: string) {
  const a = c && image ? c.attachments.find((x) => x.kind === 'anomaly-map' && x.source.sopInstanceUID === image.sopInstanceUID && x.source.frame === image.frame) : undefined;
  const v = a ? values(a.dataKey) : undefined;
  if (!a || !v) return null;
  const threshold = SCREEN_THRESHOLD[modelModality(modality)];
  let max = threshold * 1.01;
  for (let i = 0; i < v.length; i++) if (v[i]! > max) max = v[i]!;
  return { canvas: heatmapCanvas(v, a.rows, a.columns, threshold, max, 0.6) };
}
