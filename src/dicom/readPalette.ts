// Palette Color lookup tables (PS3.3 C.7.6.3.1.5–6 and C.7.9.2 segmented LUTs) → expanded channels.
// Thread-neutral, pure. Output length is capped at the descriptor's entry count (≤ 65536) whatever the input claims.
import type { DataSet } from 'dicom-parser';
import type { Palette, PaletteChannel } from '../shared/types';
import { TAG } from './tags';
import { InconsistentPixelModuleError } from '../shared/errors';

const MAX_ENTRIES = 65536;

/** Expand segmented LUT data (16-bit words) into `entries` values. Indirect segments may nest at most 4 deep. */
export function expandSegmentedLut(words: Uint16Array, entries: number, depth = 0, start = 0, segmentCount = Infinity, lastValue?: number): number[] {
  const out: number[] = [];
  let i = start;
  let segments = 0;
  const last = (): number | undefined => (out.length ? out[out.length - 1] : lastValue);
  while (i + 1 < words.length && segments < segmentCount && out.length < entries) {
    const opcode = words[i]!;
    const length = words[i + 1]!;
    i += 2;
    segments++;
    if (opcode === 0) {
      // Discrete segment: `length` values follow.
      for (let k = 0; k < length && i < words.length; k++) out.push(words[i++]!);
    } else if (opcode === 1) {
      // Linear segment: interpolate from the previous value to y1 over `length` entries.
      const y0 = last();
      const y1 = words[i++];
      if (y0 === undefined || y1 === undefined) throw new InconsistentPixelModuleError('Segmented palette: linear segment without a start value');
      for (let k = 1; k <= length; k++) out.push(Math.round(y0 + ((y1 - y0) * k) / length));
    } else if (opcode === 2) {
      // Indirect segment: copy `length` segments starting at a 32-bit byte offset (least significant word first).
      if (depth >= 4) throw new InconsistentPixelModuleError('Segmented palette: indirect segments nest too deep');
      const lo = words[i] ?? 0;
      const hi = words[i + 1] ?? 0;
      i += 2;
      const wordOffset = ((hi << 16) | lo) >>> 1;
      out.push(...expandSegmentedLut(words, entries - out.length, depth + 1, wordOffset, length, last()));
    } else {
      throw new InconsistentPixelModuleError(`Segmented palette: unknown opcode ${opcode}`);
    }
  }
  return out.slice(0, entries);
}

function wordsOf(dataSet: DataSet, tag: string): Uint16Array | null {
  const el = dataSet.elements[tag];
  if (!el || el.length < 2) return null;
  const n = el.length >> 1;
  const out = new Uint16Array(n);
  for (let k = 0; k < n; k++) out[k] = dataSet.uint16(tag, k) ?? 0;
  return out;
}

function readChannel(dataSet: DataSet, descTag: string, dataTag: string, segTag: string, signed: boolean): PaletteChannel {
  const first = dataSet.uint16(descTag, 0);
  const bits = dataSet.uint16(descTag, 2);
  if (first === undefined || bits === undefined) throw new InconsistentPixelModuleError('PALETTE COLOR without a complete LUT descriptor (0028,1101-1103)');
  const entries = first === 0 ? MAX_ENTRIES : first;
  const firstMapped = signed ? (dataSet.int16(descTag, 1) ?? 0) : (dataSet.uint16(descTag, 1) ?? 0);
  const segmented = wordsOf(dataSet, segTag);
  let data: Uint16Array;
  if (segmented) {
    data = Uint16Array.from(expandSegmentedLut(segmented, entries));
  } else {
    const el = dataSet.elements[dataTag];
    if (!el) throw new InconsistentPixelModuleError('PALETTE COLOR without LUT data (0028,1201-1203)');
    if (bits === 8 && el.length === entries) {
      // Some writers pack 8-bit entries one per byte.
      data = Uint16Array.from(dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + entries));
    } else {
      data = wordsOf(dataSet, dataTag) ?? new Uint16Array(0);
    }
  }
  if (data.length < entries) throw new InconsistentPixelModuleError(`Palette LUT has ${data.length} entries, descriptor says ${entries}`);
  return { entries, firstMapped, bits: bits > 8 ? 16 : 8, data: data.subarray(0, entries) };
}

export function readPalette(dataSet: DataSet, signed: boolean): Palette {
  return {
    red: readChannel(dataSet, TAG.RedPaletteColorLookupTableDescriptor, TAG.RedPaletteColorLookupTableData, TAG.SegmentedRedPaletteColorLookupTableData, signed),
    green: readChannel(dataSet, TAG.GreenPaletteColorLookupTableDescriptor, TAG.GreenPaletteColorLookupTableData, TAG.SegmentedGreenPaletteColorLookupTableData, signed),
    blue: readChannel(dataSet, TAG.BluePaletteColorLookupTableDescriptor, TAG.BluePaletteColorLookupTableData, TAG.SegmentedBluePaletteColorLookupTableData, signed),
  };
}
