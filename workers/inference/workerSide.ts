// What the inference worker exposes over comlink: the inference API with results transferred (never copied) back to
// the UI. Separate from the entry file so contract tests can put it behind a MessageChannel. Worker thread.
import * as Comlink from 'comlink';
import type { EnhanceModelId, ModelId } from '../../models/catalog';
import type { InferenceApi, InferenceImage, TileProgress } from './inferenceApi';

export function workerSide(api: Promise<InferenceApi>) {
  return {
    async info() { return (await api).info(); },
    async prepare(id: ModelId) { return (await api).prepare(id); },
    async enhance(id: EnhanceModelId, image: InferenceImage, onTile?: TileProgress) {
      const r = await (await api).enhance(id, image, onTile);
      return Comlink.transfer(r, [r.values.buffer, r.display.stored.buffer, r.difference.values.buffer, r.difference.display.stored.buffer]);
    },
    async screen(image: InferenceImage, threshold?: number, onTile?: TileProgress) {
      const r = await (await api).screen(image, threshold, onTile);
      return Comlink.transfer(r, [r.scores.buffer]);
    },
  };
}

export type ExposedInferenceApi = ReturnType<typeof workerSide>;
