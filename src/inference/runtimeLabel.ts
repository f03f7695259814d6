// What the model panel says about where models run: the backend actually used (or the first one planned), the WASM
// threads against the cores there are (one is left to the viewer in a browser), and cross-origin isolation. Pure.
import type { RuntimeInfo } from '../../workers/inference/inferenceApi';

export function runtimeLabel(info: Pick<RuntimeInfo, 'backend' | 'order' | 'threads' | 'cores' | 'crossOriginIsolated'>): string {
  const backend = info.backend === 'not started' ? info.order[0] : info.backend;
  const how = backend === 'wasm' ? `${info.threads} thread${info.threads > 1 ? 's' : ''} of ${info.cores} core${info.cores > 1 ? 's' : ''}` : 'GPU';
  return `Runs on ${backend} (${how})${info.crossOriginIsolated ? ', cross-origin isolated' : ''}`;
}
