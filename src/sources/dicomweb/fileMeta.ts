// The two file meta attributes the DICOMweb client needs from a Part 10 file (PS3.10 §7.1): Media Storage SOP
// Instance UID (0002,0003) and Transfer Syntax UID (0002,0010). A tiny reader, so the UI thread need not parse the
// dataset. Thread-neutral.

export interface FileMeta { sopInstanceUID?: string; transferSyntaxUID?: string }

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

/** The file meta UIDs of a Part 10 file, or null when `bytes` has no "DICM" preamble. */
export function readFileMeta(bytes: Uint8Array): FileMeta | null {
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta: FileMeta = {};
  let p = 132;
  // Group 0002 is always explicit VR little endian.
  while (p + 8 <= bytes.length && dv.getUint16(p, true) === 0x0002) {
    const element = dv.getUint16(p + 2, true);
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    const long = LONG_VRS.has(vr);
    if (long && p + 12 > bytes.length) break;
    const length = long ? dv.getUint32(p + 8, true) : dv.getUint16(p + 6, true);
    const start = p + (long ? 12 : 8);
    if (start + length > bytes.length) break;
    if (element === 0x0003 || element === 0x0010) {
      const value = String.fromCharCode(...bytes.subarray(start, start + length)).replace(/[\0 ]+$/, '');
      if (element === 0x0003) meta.sopInstanceUID = value;
      else meta.transferSyntaxUID = value;
    }
    p = start + length;
  }
  return meta;
}
