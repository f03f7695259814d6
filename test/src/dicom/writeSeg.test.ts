// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the node tsconfig leaves out the dcmjs declaration
/// <reference path="../../../src/types/dcmjs.d.ts" />
// writeSeg: a BINARY SEG re-parsed with dicom-parser and dcmjs (naturalized): bits packed exactly (frames back to back,
// also when rows × columns is not a multiple of 8), references (series, per-frame source image and frame), geometry,
// dimensions, segment attributes (AUTOMATIC with the model's name, version and sha256; MANUAL for teaching findings),
// patient and study copied; dcmtk's dcmdump and pydicom read it (required under CI).
import dicomParser, { type DataSet } from 'dicom-parser';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { CODE } from '../../../src/dicom/codes';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { screeningAlgorithm } from '../../../src/dicom/writeAnomalySr';
import { SEGMENTATION, anomalySegment, findingMask, findingSegments, writeSeg, type SegSource, type SegmentInput } from '../../../src/dicom/writeSeg';
import { regionStats } from '../../../src/shared/measure';
import type { Finding, ImageRef } from '../../../src/teaching/model';
import { dcmtkLogged, dcmtkTool } from '../../fixtures/dcmtk';
import { pydicom } from '../../fixtures/pydicomReader';
import { FRAME_OF_REFERENCE, identifiedInstance } from '../../fixtures/segSources';

const a = identifiedInstance(0), b = identifiedInstance(1); // a at z = 0, b at z = 5 (axial, normal +z)
const pa = parseInstance(a.bytes), pb = parseInstance(b.bytes);
const sources: SegSource[] = [{ header: pb.header, dataSet: pb.dataSet }, { header: pa.header, dataSet: pa.dataSet }]; // out of order on purpose
const N = 64 * 64;

/** Deterministic 0/1 mask (or scores) with about `fraction` set. */
function random(seed: number, n: number, fraction: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 < fraction ? 1 : 0; });
}
/** The packing the standard asks for, written independently of the writer: pixel i → bit i % 8 of byte ⌊i / 8⌋. */
function pack(frames: Uint8Array[]): Uint8Array {
  const total = frames.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(Math.ceil(total / 8) + (Math.ceil(total / 8) % 2));
  let i = 0;
  for (const f of frames) for (const v of f) { if (v) out[i >> 3]! |= 1 << (i & 7); i++; }
  return out;
}
const pixelBytes = (ds: DataSet) => { const el = ds.elements.x7fe00010!; return ds.byteArray.slice(el.dataOffset, el.dataOffset + el.length); };
const seq = (ds: DataSet, tag: string) => (ds.elements[tag]?.items ?? []).map((i) => i.dataSet!);
const only = (ds: DataSet, tag: string) => seq(ds, tag)[0]!;

const algorithm = screeningAlgorithm(MODEL_CATALOG.anomaly, 0.0591, 0.0591);
const scoresA = Float32Array.from(random(1, N, 0.1), (v, i) => (v ? 0.06 + (i % 5) / 100 : 0.05));
const scoresB = Float32Array.from(random(2, N, 0.05), (v) => (v ? 0.2 : 0));
const ref = (sop: string): ImageRef => ({ studyInstanceUID: pa.header.studyInstanceUID, seriesInstanceUID: pa.header.seriesInstanceUID, sopInstanceUID: sop, frame: 0 });
const findings: Finding[] = [
  { id: 'f1', image: ref(a.sop), region: { kind: 'box', corners: [{ x: 10.2, y: 4 }, { x: 20, y: 12.7 }] }, label: 'mass', difficulty: 2, explanation: 'Lobulated', toleranceMm: null },
  { id: 'f2', image: ref(b.sop), region: { kind: 'point', point: { x: 3, y: 3 } }, label: 'calcification', difficulty: 1, explanation: '', toleranceMm: null },
  { id: 'f3', image: ref(b.sop), region: { kind: 'ellipse', corners: [{ x: 30, y: 30 }, { x: 41, y: 37 }] }, label: 'Cyst', difficulty: 1, explanation: '', toleranceMm: 2 },
  { id: 'f4', image: ref(b.sop), region: { kind: 'freehand', points: [{ x: 2, y: 40 }, { x: 20, y: 42 }, { x: 12, y: 60 }] }, label: 'odd shadow', difficulty: 3, explanation: 'Not in the vocabulary', toleranceMm: null },
];
const empty: SegmentInput = { label: 'nothing', algorithm: { type: 'MANUAL' }, category: CODE.anatomicalStructure, type: CODE.abnormal, rgb: [1, 2, 3], masks: [{ image: { sopInstanceUID: a.sop, frame: 0 }, mask: new Uint8Array(N) }] };
function findingSegmentsOf() { return findingSegments(findings, new Map(sources.map((s) => [s.header.sopInstanceUID, s]))); }
const anomaly = anomalySegment(algorithm, [{ image: { sopInstanceUID: b.sop, frame: 0 }, scores: scoresB }, { image: { sopInstanceUID: a.sop, frame: 0 }, scores: scoresA }]);
const segments = [anomaly, ...findingSegmentsOf(), empty];
const seg = writeSeg(sources, segments, { now: new Date(2026, 2, 4, 5, 6, 7), contentCreatorName: 'Ada^Teacher' });
const ds = dicomParser.parseDicom(seg);
const frames = seq(ds, 'x52009230');
/** Expected stored frames: per segment, the source frames with a set pixel, in slice order (a before b). */
const expected: { segment: number; sop: string; mask: Uint8Array }[] = [
  { segment: 1, sop: a.sop, mask: anomaly.masks[1]!.mask }, { segment: 1, sop: b.sop, mask: anomaly.masks[0]!.mask },
  { segment: 2, sop: a.sop, mask: findingMask(findings[0]!, 64, 64)! },
  { segment: 3, sop: b.sop, mask: findingMask(findings[2]!, 64, 64)! },
  { segment: 4, sop: b.sop, mask: findingMask(findings[3]!, 64, 64)! },
];

describe('writeSeg', () => {
  it('is a BINARY Segmentation, 1 bit stored, with the source patient and study modules', () => {
    expect(ds.string('x00020002')).toBe(SEGMENTATION);
    expect(ds.string('x00080016')).toBe(SEGMENTATION);
    expect(ds.string('x00080060')).toBe('SEG');
    expect(ds.string('x00620001')).toBe('BINARY');
    expect([ds.uint16('x00280100'), ds.uint16('x00280101'), ds.uint16('x00280102'), ds.uint16('x00280103')]).toEqual([1, 1, 0, 0]);
    expect([ds.uint16('x00280010'), ds.uint16('x00280011'), ds.string('x00280004')]).toEqual([64, 64, 'MONOCHROME2']);
    expect(ds.string('x00080008')).toBe('DERIVED\\PRIMARY');
    for (const [tag, value] of [['x00100010', 'Doe^Jane'], ['x00100020', 'MRN-77'], ['x00100040', 'F'], ['x00080050', 'ACC-5'], ['x00080090', 'Who^Referred'],
      ['x0020000d', pa.header.studyInstanceUID], ['x00080020', '20260101'], ['x00080030', '101500'], ['x00200052', FRAME_OF_REFERENCE], ['x00700084', 'Ada^Teacher']] as const) {
      expect(ds.string(tag), tag).toBe(value);
    }
    expect(ds.string('x0020000e')).not.toBe(pa.header.seriesInstanceUID);
  });

  it('stores only frames with a set pixel, segment by segment in slice order, and packs them bit for bit', () => {
    expect(ds.intString('x00280008')).toBe(expected.length);
    expect(frames).toHaveLength(expected.length);
    expect(frames.map((f) => only(f, 'x0062000a').uint16('x0062000b'))).toEqual(expected.map((e) => e.segment));
    const sourceOf = (f: DataSet) => only(only(f, 'x00089124'), 'x00082112');
    expect(frames.map((f) => sourceOf(f).string('x00081155'))).toEqual(expected.map((e) => e.sop));
    expect(pixelBytes(ds)).toEqual(pack(expected.map((e) => e.mask)));
    expect(ds.string('x00620013')).toBe('YES'); // the mass box overlaps anomaly pixels on slice a
  });

  it('references the source images: series, each frame’s source image with purpose and derivation codes', () => {
    const series = seq(ds, 'x00081115');
    expect(series.map((s) => s.string('x0020000e'))).toEqual([pa.header.seriesInstanceUID]);
    expect(seq(series[0]!, 'x0008114a').map((i) => i.string('x00081155')).sort()).toEqual([a.sop, b.sop].sort());
    expect(series[0]!.elements.x0020000d).toBeUndefined();
    const derivation = only(frames[0]!, 'x00089124');
    const source = only(derivation, 'x00082112');
    expect(source.string('x00081150')).toBe(pa.header.sopClassUID);
    expect(source.elements.x00081160).toBeUndefined(); // single-frame source: no frame number
    expect(only(source, 'x0040a170').string('x00080100')).toBe('121322');
    expect(only(derivation, 'x00089215').string('x00080100')).toBe('113076');
  });

  it('carries the geometry: Pixel Measures and Plane Orientation shared, Plane Position per frame, dimensions segment then position', () => {
    const shared = only(ds, 'x52009229');
    expect(only(shared, 'x00289110').string('x00280030')).toBe('0.7\\0.7');
    expect(only(shared, 'x00209116').string('x00200037')).toBe('1\\0\\0\\0\\1\\0');
    const z = (f: DataSet) => Number(only(f, 'x00209113').string('x00200032')!.split('\\')[2]);
    expect(frames.map(z)).toEqual(expected.map((e) => (e.sop === a.sop ? 0 : 5)));
    const dims = seq(ds, 'x00209222');
    expect(dims.map((d) => [d.attributeTag('x00209165'), d.attributeTag('x00209167')])).toEqual([['x0062000b', 'x0062000a'], ['x00200032', 'x00209113']]);
    const org = only(ds, 'x00209221').string('x00209164');
    expect(dims.every((d) => d.string('x00209164') === org)).toBe(true);
    const index = (f: DataSet) => [0, 1].map((k) => only(f, 'x00209111').uint32('x00209157', k));
    expect(frames.map(index)).toEqual(expected.map((e) => [e.segment, e.sop === a.sop ? 1 : 2]));
  });

  it('describes the segments: AUTOMATIC with the model name, version and sha256; MANUAL findings with label, explanation and codes', () => {
    const items = seq(ds, 'x00620002');
    expect(items.map((s) => s.uint16('x00620004'))).toEqual([1, 2, 3, 4, 5]);
    expect(items.map((s) => s.string('x00620008'))).toEqual(['AUTOMATIC', 'MANUAL', 'MANUAL', 'MANUAL', 'MANUAL']);
    const ai = items[0]!;
    expect(ai.string('x00620009')).toBe(`Lucid anomaly ${algorithm.version}`);
    expect(ai.string('x00620006')).toContain(`sha256 ${MODEL_CATALOG.anomaly.sha256}`);
    const id = only(ai, 'x00620007');
    expect(id.string('x00660031')).toBe(algorithm.version);
    expect(id.string('x00660032')).toContain(MODEL_CATALOG.anomaly.sha256);
    expect(id.string('x00660032')).toContain('threshold 0.0591');
    expect(only(id, 'x0066002f').string('x00080100')).toBe('123110');
    const codeOf = (s: DataSet, tag: string) => `${only(s, tag).string('x00080102')}:${only(s, tag).string('x00080100')}`;
    expect(items.map((s) => codeOf(s, 'x00620003'))).toEqual([...Array(4).fill('SCT:49755003'), 'SCT:123037004']);
    expect(items.map((s) => codeOf(s, 'x0062000f'))).toEqual(['SCT:263654008', 'SCT:4147007', 'SCT:367643001', 'SCT:263654008', 'SCT:263654008']);
    expect(items.slice(1).map((s) => s.string('x00620005'))).toEqual(['mass', 'Cyst', 'odd shadow', 'nothing']); // the point finding has no area
    expect(items[1]!.string('x00620006')).toBe('Lobulated');
    expect(items.slice(1).every((s) => s.elements.x00620009 === undefined)).toBe(true);
    expect(items[0]!.uint16('x0062000d', 2)).toBeGreaterThan(0);
  });

  it('draws a finding’s region as the pixels whose centre is inside, as the measurement tools count them', () => {
    for (const [f, kind] of [[findings[0]!, 'rectangle'], [findings[2]!, 'ellipse'], [findings[3]!, 'freehand']] as const) {
      const r = f.region as { corners?: { x: number; y: number }[]; points?: { x: number; y: number }[] };
      const stats = regionStats(new Uint8Array(N), 64, 64, 1, 0, kind, r.corners ?? r.points!, null);
      expect(findingMask(f, 64, 64)!.reduce((s, v) => s + v, 0), kind).toBe(stats.pixels);
    }
    expect(findingMask(findings[1]!, 64, 64)).toBeNull();
  });

  it('reads back with dcmjs: naturalized attributes and dcmjs’s own unpacking of the pixels', () => {
    const n = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(seg.slice().buffer).dict) as {
      SegmentSequence: { SegmentLabel: string }[]; NumberOfFrames: number; PixelData: ArrayBuffer[]; PatientName: { Alphabetic: string }[] | string;
    };
    expect(n.SegmentSequence.map((s) => s.SegmentLabel)).toEqual(segments.filter((s) => s.label).map((s) => s.label));
    expect(Number(n.NumberOfFrames)).toBe(expected.length);
    const bits = dcmjs.data.BitArray.unpack(n.PixelData[0]!);
    const all = expected.flatMap((e) => [...e.mask]);
    expect(Array.from(bits.subarray(0, all.length), (v) => (v ? 1 : 0))).toEqual(all);
  });

  describe('a multi-frame source of 7 × 13 pixels (91 per frame, not a multiple of 8)', () => {
    const h = { ...pa.header, rows: 7, columns: 13, frames: 3, sopClassUID: '1.2.840.10008.5.1.4.1.1.2.1', sopInstanceUID: `${pa.header.sopInstanceUID}.9` };
    const multi: SegSource = { header: h, frameOfReferenceUID: FRAME_OF_REFERENCE, framePosition: (f) => [0, 0, 10 - 2 * f] };
    const masks = [2, 0, 1].map((frame) => ({ image: { sopInstanceUID: h.sopInstanceUID, frame }, mask: random(10 + frame, 91, 0.5) }));
    const bytes = writeSeg([multi], [{ ...empty, label: 'odd', masks }]);
    const odd = dicomParser.parseDicom(bytes);
    const inOrder = [...masks].sort((x, y) => y.image.frame - x.image.frame); // z = 10 − 2f: frame 2 lies lowest

    it('packs 3 × 91 bits with no padding between frames (273 bits in 35 bytes, padded to 36)', () => {
      expect(odd.elements.x7fe00010!.length).toBe(36);
      expect(pixelBytes(odd)).toEqual(pack(inOrder.map((m) => m.mask)));
    });

    it('names each frame of the source by its 1-based number', () => {
      const refs = seq(odd, 'x52009230').map((f) => only(only(f, 'x00089124'), 'x00082112'));
      expect(refs.map((r) => r.string('x00081160'))).toEqual(['3', '2', '1']);
      expect(refs.every((r) => r.string('x00081155') === h.sopInstanceUID)).toBe(true);
    });

    it.skipIf(pydicom.skip)(`pydicom unpacks the same bits${pydicom.title}`, () => {
      const r = pydicom.run<{ shape: number[]; bits: number[] }>(bytes, 'a = ds.pixel_array\nprint(json.dumps({"shape": list(a.shape), "bits": a.flatten().tolist()}))');
      expect(r.shape).toEqual([3, 7, 13]);
      expect(r.bits).toEqual(inOrder.flatMap((m) => [...m.mask]));
    });
  });

  it('refuses what it cannot write faithfully', () => {
    const one = (mask: Uint8Array, sop = a.sop) => [{ ...empty, masks: [{ image: { sopInstanceUID: sop, frame: 0 }, mask }] }];
    expect(() => writeSeg(sources, one(new Uint8Array(N)))).toThrow(/no segment has any pixel set/);
    expect(() => writeSeg(sources, one(new Uint8Array(10)))).toThrow(/10 values, not 64×64/);
    expect(() => writeSeg(sources, one(random(3, N, 0.5), '1.2.3'))).toThrow(/not among the sources/);
    expect(() => writeSeg([...sources, { header: { ...pa.header, rows: 32, sopInstanceUID: '1.2.4' } }], one(random(3, N, 0.5)))).toThrow(/one matrix size/);
    expect(() => writeSeg([...sources, { header: { ...pa.header, studyInstanceUID: '1.2.5', sopInstanceUID: '1.2.6' } }], one(random(3, N, 0.5)))).toThrow(/more than one study/);
    expect(() => writeSeg([], one(random(3, N, 0.5)))).toThrow(/no source/);
  });

  const dcmdump = dcmtkTool('dcmdump');
  it.skipIf(dcmdump.skip)(`dcmtk's dcmdump reads it without an error${dcmdump.title}`, () => {
    const r = dcmdump.run(seg, ['-q']);
    expect(r.status, r.stderr).toBe(0);
    expect(dcmtkLogged(r.stderr, 'EFW'), r.stderr).toEqual([]);
    expect(r.stdout).toContain('SegmentationStorage');
    expect(r.stdout).toContain('(0062,0009) LO [Lucid anomaly');
  });

  it.skipIf(pydicom.skip)(`pydicom reads the segments, references and the unpacked masks${pydicom.title}`, () => {
    const r = pydicom.run<{ shape: number[]; bits: number[]; types: string[]; sources: string[]; overlap: string }>(seg, [
      'a = ds.pixel_array',
      'print(json.dumps({"shape": list(a.shape), "bits": a.flatten().tolist(), "overlap": ds.SegmentsOverlap,',
      '  "types": [s.SegmentAlgorithmType for s in ds.SegmentSequence],',
      '  "sources": [f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID for f in ds.PerFrameFunctionalGroupsSequence]}))',
    ].join('\n'));
    expect(r.shape).toEqual([expected.length, 64, 64]);
    expect(r.bits).toEqual(expected.flatMap((e) => [...e.mask]));
    expect(r.types).toEqual(['AUTOMATIC', 'MANUAL', 'MANUAL', 'MANUAL', 'MANUAL']);
    expect(r.sources).toEqual(expected.map((e) => e.sop));
    expect(r.overlap).toBe('YES');
  });
});
