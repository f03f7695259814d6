// Every model's card (intended use, metrics, limits) as bundled text, found by the catalogue's card path: shown by
// the model panel and written into teaching packets beside attached outputs. Thread-neutral (the UI and the workers
// import it; Vite only, since `?raw` needs its bundler); there offline.
import { MODEL_CATALOG, MODEL_IDS, type ModelId } from './catalog';

const FILES = import.meta.glob<string>('./*/MODEL_CARD.md', { query: '?raw', import: 'default', eager: true });

export const MODEL_CARDS: Readonly<Record<ModelId, string>> = Object.freeze(Object.fromEntries(MODEL_IDS.map((id) => {
  const text = FILES[`./${MODEL_CATALOG[id].card}`];
  if (text === undefined) throw new Error(`models/${MODEL_CATALOG[id].card} is missing`);
  return [id, text];
})) as Record<ModelId, string>);
