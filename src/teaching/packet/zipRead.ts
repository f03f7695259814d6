// Reads a packet's zip defensively (PKWARE APPNOTE 6.3: end record §4.3.16, central directory §4.3.12, local header
// §4.3.7): every name, size and count is checked against PacketLimits BEFORE anything is inflated, and inflation
// counts real bytes so a lying header cannot get past a limit. Pure, thread-neutral; fflate does the inflating.
import { Inflate } from 'fflate';
import { PacketCorruptError, PacketError, PacketTooLargeError, PacketUnsafePathError } from '../../shared/errors';
import { crc32 } from './digest';
import { LAYOUT, formatBytes, type PacketLimits } from './format';

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's compressed data in the packet. */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(detail: string): PacketCorruptError {
  return new PacketCorruptError(`This file is not a complete Lucid packet (${detail}). It may be damaged or cut short; export it again.`);
}

/** Why a name is unsafe, or null. Checked before the layout so the message says what is wrong with it. */
function unsafeReason(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.includes('\\')) return 'contains a backslash';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter';
  if (name.startsWith('/')) return 'is an absolute path';
  if (name.split('/').some((part) => part === '..' || part === '.')) return 'climbs out of its folder ("..")';
  if (!LAYOUT.test(name)) return 'is not a file a Lucid packet contains';
  return null;
}

function printable(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** The central directory, checked: names, count, declared sizes, ratios, and that each local header agrees. */
export function readZipDirectory(bytes: Uint8Array, limits: PacketLimits): Map<string, ZipEntry> {
  if (bytes.length > limits.maxPacketBytes) {
    throw new PacketTooLargeError(`This packet is larger than ${formatBytes(limits.maxPacketBytes)}, the most Lucid imports.`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (dv.getUint32(p, true) === EOCD) { eocd = p; break; }
  }
  if (eocd < 0) throw corrupt(bytes.length < 22 ? 'too short to be a zip' : 'no zip end record; not a zip or cut short');
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 8, true) !== count) throw corrupt('a multi-part zip');
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw new PacketTooLargeError('This packet uses the ZIP64 extension for very large archives, which Lucid does not import.');
  }
  if (count > limits.maxEntries) {
    throw new PacketTooLargeError(`This packet holds ${count} files; Lucid imports at most ${limits.maxEntries}.`);
  }
  if (cdOffset + cdSize > eocd) throw corrupt('its file list points past its end');
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || dv.getUint32(p, true) !== CENTRAL) throw corrupt(`file list entry ${i + 1} is damaged`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const skip = nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    if (p + 46 + skip > eocd) throw corrupt(`file list entry ${i + 1} runs past the list`);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + skip;
    const reason = unsafeReason(name);
    if (reason) throw new PacketUnsafePathError(`This packet contains a file named ${printable(name)}, which ${reason}. Lucid did not import it.`);
    if (entries.has(name)) throw corrupt(`${printable(name)} appears twice`);
    if (flags & 1) throw corrupt(`${printable(name)} is encrypted`);
    if (method !== 0 && method !== 8) throw corrupt(`${printable(name)} uses compression method ${method}`);
    if (size === 0xffffffff || compressedSize === 0xffffffff) {
      throw new PacketTooLargeError('This packet uses the ZIP64 extension for very large archives, which Lucid does not import.');
    }
    if (size > limits.maxEntryBytes) {
      throw new PacketTooLargeError(`The file ${printable(name)} in this packet would unpack to ${formatBytes(size)}; Lucid accepts at most ${formatBytes(limits.maxEntryBytes)} per file.`);
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new PacketTooLargeError(`This packet would unpack to more than ${formatBytes(limits.maxTotalBytes)}, the most Lucid imports.`);
    }
    if (method === 0 && size !== compressedSize) throw corrupt(`${printable(name)} has inconsistent sizes`);
    if (method === 8 && size > limits.ratioFloorBytes && size > compressedSize * limits.maxCompressionRatio) {
      throw new PacketTooLargeError(`The file ${printable(name)} in this packet is compressed ${Math.round(size / Math.max(1, compressedSize))} to 1, more than the ${limits.maxCompressionRatio} to 1 Lucid accepts (a "zip bomb" looks like this).`);
    }
    // The local header must agree with the directory (a reader that trusts one and not the other can be fooled).
    if (localOffset + 30 > bytes.length || dv.getUint32(localOffset, true) !== LOCAL) throw corrupt(`${printable(name)} has no local header`);
    const localNameLen = dv.getUint16(localOffset + 26, true);
    const dataOffset = localOffset + 30 + localNameLen + dv.getUint16(localOffset + 28, true);
    const localName = new TextDecoder().decode(bytes.subarray(localOffset + 30, localOffset + 30 + localNameLen));
    if (localName !== name || dv.getUint16(localOffset + 8, true) !== method) throw corrupt(`${printable(name)} has a local header that disagrees with the file list`);
    if (dataOffset + compressedSize > cdOffset) throw corrupt(`${printable(name)} runs past the end of the data`);
    entries.set(name, { name, method, crc, compressedSize, size, dataOffset });
  }
  return entries;
}

/** Shared across one import: every byte inflated counts against maxTotalBytes, whatever the headers said. */
export interface InflateBudget { remaining: number }

/** One entry's bytes: inflated in small steps, stopped as soon as it exceeds its declared size, CRC checked. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget, limits: PacketLimits): Uint8Array {
  const src = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = src.slice();
  } else {
    out = new Uint8Array(entry.size);
    let written = 0;
    let ended = false;
    const inflate = new Inflate((chunk, final) => {
      if (written + chunk.length > entry.size) {
        throw new PacketTooLargeError(`The file ${printable(entry.name)} in this packet unpacks to more than the ${formatBytes(entry.size)} it declares (a "zip bomb" looks like this). Lucid stopped unpacking it.`);
      }
      out.set(chunk, written);
      written += chunk.length;
      if (final) ended = true;
    });
    // 16 KB of deflate can expand to at most ~16 MB (ratio ≤ 1032), so memory stays bounded between checks.
    const step = 1 << 14;
    try {
      for (let o = 0; o < src.length; o += step) inflate.push(src.subarray(o, o + step), o + step >= src.length);
      if (src.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (e) {
      if (e instanceof PacketError) throw e;
      throw corrupt(`${printable(entry.name)} does not unpack: ${(e as Error).message || String(e)}`);
    }
    if (!ended || written !== entry.size) throw corrupt(`${printable(entry.name)} unpacks to ${written} bytes instead of ${entry.size}`);
  }
  budget.remaining -= out.length;
  if (budget.remaining < 0) throw new PacketTooLargeError(`This packet would unpack to more than ${formatBytes(limits.maxTotalBytes)}, the most Lucid imports.`);
  if (crc32(out) !== entry.crc) throw corrupt(`${printable(entry.name)} fails its CRC-32 check`);
  return out;
}
