// Every model's card (intended use, metrics, limits) as bundled text: shown by the model panel and written into
// teaching packets beside attached outputs. Thread-neutral (the UI and the workers import it); there offline.
import srCard from './sr-x2/MODEL_CARD.md?raw';
import denoiseCard from './denoise/MODEL_CARD.md?raw';
import anomalyCard from './anomaly/MODEL_CARD.md?raw';
import type { ModelId } from './catalog';

export const MODEL_CARDS: Readonly<Record<ModelId, string>> = Object.freeze({ 'sr-x2': srCard, denoise: denoiseCard, anomaly: anomalyCard });
