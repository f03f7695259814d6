// The emscripten glue of the codec packages has no types; each default-exports a module factory.
declare module '@cornerstonejs/codec-charls/decodewasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-charls/wasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-openjpeg/wasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-openjph/wasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' { const f: unknown; export default f; }
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' { const f: unknown; export default f; }
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
