// NumPy .npy (v1/v2) reader for little-endian C-order arrays: the inverse of writeNpy. Thread-neutral, pure.
import type { StoredArray } from '../shared/types';

const TYPES = {
  '|u1': Uint8Array, '|i1': Int8Array, '<u2': Uint16Array, '<i2': Int16Array,
  '<u4': Uint32Array, '<i4': Int32Array, '<f4': Float32Array, '<f8': Float64Array,
} as const;

export function readNpy(bytes: Uint8Array): { shape: number[]; data: StoredArray } {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  if (/'fortran_order': True/.test(header)) throw new Error('.npy in Fortran order is not supported');
  const descr = /'descr': '([^']+)'/.exec(header)?.[1] as keyof typeof TYPES | undefined;
  const Type = descr ? TYPES[descr] : undefined;
  if (!Type) throw new Error(`.npy dtype ${descr} is not supported`);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = bytes.slice(start + headerLen); // copy: aligned for the typed array
  return { shape, data: new Type(body.buffer, 0, body.byteLength / Type.BYTES_PER_ELEMENT) };
}
