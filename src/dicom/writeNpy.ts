// NumPy .npy (format version 1.0) writer for stored-value frames, so pixels can be checked outside Lucid.
// Thread-neutral, pure. https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import type { StoredArray } from '../shared/types';

const DTYPE: Record<string, string> = {
  Uint8Array: '|u1', Int8Array: '|i1', Uint16Array: '<u2', Int16Array: '<i2',
  Uint32Array: '<u4', Int32Array: '<i4', Float32Array: '<f4', Float64Array: '<f8',
};

export function npyDtype(data: StoredArray): string {
  const d = DTYPE[data.constructor.name];
  if (!d) throw new Error(`No NumPy dtype for ${data.constructor.name}`);
  return d;
}

export function writeNpy(data: StoredArray, shape: number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${npyDtype(data)}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
