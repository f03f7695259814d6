// Decode worker entry: exposes the decode API over comlink; pixel buffers go back transferred, not copied.
// Worker thread only. WASM codecs are served from the app's own origin (Vite ?url imports).
import * as Comlink from 'comlink';
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjphWasm from '@cornerstonejs/codec-openjph/wasm?url';
import libjpegWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';
import { setWasmLocator } from '../src/dicom/codecs/wasmCodecs';
import { createDecodeApi } from './decodeApi';

setWasmLocator((codec) => ({ charls: charlsWasm, openjpeg: openjpegWasm, openjph: openjphWasm, 'libjpeg-turbo': libjpegWasm })[codec]);

const api = createDecodeApi();
const exposed = {
  ...api,
  async decode(id: string, frame: number) {
    const f = await api.decode(id, frame);
    return Comlink.transfer(f, [f.data.buffer]);
  },
};
export type ExposedDecodeApi = typeof exposed;
Comlink.expose(exposed);
