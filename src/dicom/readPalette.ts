// Palette Color lookup tables (PS3.3 C.7.6.3.1.5–6 and C.7.9.2 segmented LUTs) → expanded channels.
// Thread-neutral, pure. Output length is capped at the descriptor's entry count (≤ 65536) whatever the input claims,
// and the work to expand a segmented LUT is capped too (indirect segments can fan out without writing anything).
import type { DataSet } from 'dicom-parser';
import type { Palette, PaletteChannel } from '../shared/types';
import { TAG } from './tags';
import { InconsistentPixelModuleError, LimitExceededError } from '../shared/errors';

const MAX_ENTRIES = 65536;
/** Indirect segments may nest this deep (real LUTs use one level, if any). */
const MAX_INDIRECT_DEPTH = 4;
/**
 * Work budget for one channel: every segment visited and every entry written costs one unit. A real LUT needs about
 * one unit an entry (≤ 65536 entries, a few segments); indirect segments that copy each other can multiply the work
 * without writing anything (a 34 KB file took over 30 s), so anything beyond a small multiple is hostile.
 */
export const MAX_SEGMENTED_LUT_WORK = 8 * MAX_ENTRIES;

/**
 * Expand segmented LUT data (16-bit words, PS3.3 C.7.9.2) into at most `entries` values: discrete (0), linear (1)
 * and indirect (2) segments. Throws LimitExceededError past the work budget or the nesting depth.
 */
export function expandSegmentedLut(words: Uint16Array, entries: number): number[] {
  const out: number[] = [];
  let work = 0;
  const spend = (units: number): void => {
    work += units;
    if (work > MAX_SEGMENTED_LUT_WORK) {
      throw new LimitExceededError(`Segmented palette: expanding takes more than ${MAX_SEGMENTED_LUT_WORK} steps (indirect segments fan out)`);
    }
  };
  const run = (start: number, segmentCount: number, depth: number): void => {
    let i = start;
    for (let segments = 0; i + 1 < words.length && segments < segmentCount && out.length < entries; segments++) {
      const opcode = words[i]!;
      const length = words[i + 1]!;
      i += 2;
      spend(1);
      if (opcode === 0) {
        // Discrete segment: `length` values follow.
        const n = Math.min(length, words.length - i, entries - out.length);
        spend(n);
        for (let k = 0; k < n; k++) out.push(words[i + k]!);
        i += length;
      } else if (opcode === 1) {
        // Linear segment: interpolate from the previous value to y1 over `length` entries.
        const y0 = out[out.length - 1];
        const y1 = words[i++];
        if (y0 === undefined || y1 === undefined) throw new InconsistentPixelModuleError('Segmented palette: linear segment without a start value');
        const n = Math.min(length, entries - out.length);
        spend(n);
        for (let k = 1; k <= n; k++) out.push(Math.round(y0 + ((y1 - y0) * k) / length));
      } else if (opcode === 2) {
        // Indirect segment: copy `length` segments starting at a 32-bit byte offset (least significant word first).
        if (depth >= MAX_INDIRECT_DEPTH) throw new InconsistentPixelModuleError('Segmented palette: indirect segments nest too deep');
        const lo = words[i] ?? 0;
        const hi = words[i + 1] ?? 0;
        i += 2;
        run(((hi << 16) | lo) >>> 1, length, depth + 1);
      } else {
        throw new InconsistentPixelModuleError(`Segmented palette: unknown opcode ${opcode}`);
      }
    }
  };
  run(0, Infinity, 0);
  return out;
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
