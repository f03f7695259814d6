// The objects Lucid derives (a SEG, the anomaly screening SR) keep the source's identity so they file with its study;
// sent elsewhere they go through the same de-identification engine as the images. With one secret for the set, every
// reference inside them (series, instances, frame of reference, study, patient pseudonym) must land on the same new
// values as the de-identified source images, and the results must still parse (dicom-parser, dcmdump, dsrdump, pydicom).
import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../../models/catalog';
import { deidentify } from '../../../../src/dicom/deidentify/deidentify';
import { makePseudonyms } from '../../../../src/dicom/deidentify/pseudonyms';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { screeningAlgorithm, writeAnomalyReport } from '../../../../src/dicom/writeAnomalySr';
import { anomalySegment, writeSeg, type SegSource } from '../../../../src/dicom/writeSeg';
import { dcmtkLogged, dcmtkTool } from '../../../fixtures/dcmtk';
import { pydicom } from '../../../fixtures/pydicomReader';
import { FRAME_OF_REFERENCE, identifiedInstance } from '../../../fixtures/segSources';
import { items, numbers, texts } from '../../../fixtures/srTree';

const secret = new Uint8Array(32).map((_, i) => i * 7 + 3);
const a = identifiedInstance(0), b = identifiedInstance(1);
const pa = parseInstance(a.bytes), pb = parseInstance(b.bytes);
const sources: SegSource[] = [{ header: pa.header, dataSet: pa.dataSet }, { header: pb.header, dataSet: pb.dataSet }];
const algorithm = screeningAlgorithm(MODEL_CATALOG.anomaly, 0.0591, 0.0591);
const scores = Float32Array.from({ length: 64 * 64 }, (_, i) => (i % 97 === 0 ? 0.3 : 0));

// The source images as the engine exports them, and the new UIDs it gave them.
const images = [a, b].map((x) => deidentify(x.bytes, secret));
const image = images.map((r) => dicomParser.parseDicom(r.bytes));
const newSop = new Map([[a.sop, images[0]!.report.sopInstanceUID], [b.sop, images[1]!.report.sopInstanceUID]]);

const seg = writeSeg(sources, [anomalySegment(algorithm, [{ image: { sopInstanceUID: a.sop, frame: 0 }, scores }, { image: { sopInstanceUID: b.sop, frame: 0 }, scores }])]);
const sr = writeAnomalyReport([
  { image: { sopInstanceUID: a.sop, frame: 0 }, box: { rowMin: 1, rowMax: 4, columnMin: 2, columnMax: 8 }, score: 2.5 },
  { image: { sopInstanceUID: b.sop, frame: 0 }, box: { rowMin: 9, rowMax: 9, columnMin: 9, columnMax: 12 }, score: 1.75 },
], new Map(sources.map((s) => [s.header.sopInstanceUID, s])), algorithm);
const deSeg = deidentify(seg, secret), deSr = deidentify(sr, secret);
const segDs = dicomParser.parseDicom(deSeg.bytes), srDs = dicomParser.parseDicom(deSr.bytes);

const seq = (ds: DataSet, tag: string) => (ds.elements[tag]?.items ?? []).map((i) => i.dataSet!);
/** Every Referenced SOP Instance UID (0008,1155) anywhere in the dataset. */
function referencedSops(ds: DataSet, out: string[] = []): string[] {
  for (const [tag, el] of Object.entries(ds.elements)) {
    if (tag === 'x00081155') out.push(ds.string(tag)!);
    for (const it of el.items ?? []) if (it.dataSet) referencedSops(it.dataSet, out);
  }
  return out;
}

describe('a SEG and the screening SR through the de-identification engine', () => {
  it('are rewritten: identity replaced, and nothing of the original patient left', () => {
    for (const ds of [segDs, srDs]) {
      expect(ds.string('x00120062')).toBe('YES');
      expect(ds.string('x00100010')).toBe(image[0]!.string('x00100010')); // the same patient pseudonym as the images
      expect(ds.string('x00100020')).toBe(image[0]!.string('x00100020'));
      expect(ds.string('x00100010')).not.toBe('Doe^Jane');
      expect(ds.string('x00080050') ?? '').toBe('');
    }
    for (const bytes of [deSeg.bytes, deSr.bytes]) expect(new TextDecoder('latin1').decode(bytes)).not.toMatch(/Doe\^Jane|MRN-77|ACC-5|Who\^Referred/);
  });

  it('map the study, frame of reference and every instance reference to the images’ new UIDs', () => {
    const study = images[0]!.report.studyInstanceUID;
    expect(segDs.string('x0020000d')).toBe(study);
    expect(srDs.string('x0020000d')).toBe(study);
    expect(segDs.string('x00200052')).toBe(image[0]!.string('x00200052'));
    expect(segDs.string('x00200052')).toBe(makePseudonyms(secret).uid(FRAME_OF_REFERENCE));
    const series = seq(segDs, 'x00081115');
    expect(series.map((s) => s.string('x0020000e'))).toEqual([images[0]!.report.seriesInstanceUID]);
    const original = { seg: referencedSops(dicomParser.parseDicom(seg)), sr: referencedSops(dicomParser.parseDicom(sr)) };
    expect(original.seg).toHaveLength(4); // the Referenced Series Sequence's two, and each frame's source image
    expect(original.sr).toHaveLength(6); // image library, each SCOORD's image, and the evidence, two each
    expect(referencedSops(segDs)).toEqual(original.seg.map((u) => newSop.get(u)));
    expect(referencedSops(srDs)).toEqual(original.sr.map((u) => newSop.get(u)));
    expect(new Set(referencedSops(srDs))).toEqual(new Set(newSop.values()));
    const evidence = seq(srDs, 'x0040a375');
    expect(evidence.every((e) => e.string('x0020000d') === study)).toBe(true);
    expect(evidence.flatMap((e) => seq(e, 'x00081115').map((s) => s.string('x0020000e')))).toEqual([images[0]!.report.seriesInstanceUID, images[0]!.report.seriesInstanceUID]);
    expect(deSeg.report.sopInstanceUID).not.toBe(dicomParser.parseDicom(seg).string('x00080018'));
  });

  it('keep what they say: the SEG’s bits and segment, the SR’s scores, algorithm and sha256', () => {
    const bits = (ds: DataSet) => { const el = ds.elements.x7fe00010!; return ds.byteArray.slice(el.dataOffset, el.dataOffset + el.length); };
    expect(bits(segDs)).toEqual(bits(dicomParser.parseDicom(seg)));
    const segment = seq(segDs, 'x00620002')[0]!;
    expect(segment.string('x00620009')).toBe(`Lucid anomaly ${algorithm.version}`);
    expect(segment.string('x00620006')).toContain(MODEL_CATALOG.anomaly.sha256);
    expect(numbers(srDs).get('Score')).toEqual([2.5, 1.75]);
    expect(texts(srDs).get('Algorithm Parameters')).toContain(`model sha256 ${MODEL_CATALOG.anomaly.sha256}`);
    expect(texts(srDs).get('Device Observer Name')).toEqual(['Lucid anomaly']);
    expect(items(srDs).some((i) => i.ds.string('x00700023') === 'POLYLINE')).toBe(true);
  });

  const dcmdump = dcmtkTool('dcmdump'), dsrdump = dcmtkTool('dsrdump');
  it.skipIf(dcmdump.skip)(`dcmtk reads the de-identified SEG and SR without an error${dcmdump.title}`, () => {
    const d = dcmdump.run(deSeg.bytes, ['-q']);
    expect(d.status, d.stderr).toBe(0);
    expect(dcmtkLogged(d.stderr, 'EFW'), d.stderr).toEqual([]);
    const r = dsrdump.run(deSr.bytes, ['+Pu', '+Pl']);
    expect(r.status, r.stderr).toBe(0);
    expect(dcmtkLogged(r.stderr), r.stderr).toEqual([]);
    for (const sop of newSop.values()) expect(r.stdout).toContain(sop);
    expect(r.stdout).toContain(MODEL_CATALOG.anomaly.sha256);
  });

  it.skipIf(pydicom.skip)(`pydicom unpacks the de-identified SEG${pydicom.title}`, () => {
    const r = pydicom.run<{ shape: number[]; set: number }>(deSeg.bytes, 'a = ds.pixel_array\nprint(json.dumps({"shape": list(a.shape), "set": int(a.sum())}))');
    expect(r.shape).toEqual([2, 64, 64]);
    expect(r.set).toBe(2 * scores.filter((s) => s >= algorithm.threshold).length);
  });
});
