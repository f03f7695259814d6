// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the node tsconfig leaves out the dcmjs declaration
/// <reference path="../../../src/types/dcmjs.d.ts" />
// writeAnomalyReport: the screening SR re-parses with dicom-parser and dcmjs (TID 1500 tree, a device observer per
// TID 1004, one group per region with the Abnormal finding, the score in "{score}" with its meaning, the closed box
// on its image, TID 4019 with the model's sha256 and threshold; patient and study modules copied from the source) and
// with dcmtk's dsrdump where installed (required under CI).
import dicomParser from 'dicom-parser';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { REGION_SCORE_MEANING } from '../../../models/anomaly/postprocess';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { deviceObserverUid, screeningAlgorithm, writeAnomalyReport, type AnomalyRegion } from '../../../src/dicom/writeAnomalySr';
import { COMPREHENSIVE_SR, type SrSource } from '../../../src/dicom/writeSr';
import { dcmtkLogged, dcmtkTool } from '../../fixtures/dcmtk';
import { code, items, meaning, numbers, texts } from '../../fixtures/srTree';
import { identifiedInstance } from '../../fixtures/segSources';

const a = identifiedInstance(0), b = identifiedInstance(1);
const parsedA = parseInstance(a.bytes), parsedB = parseInstance(b.bytes);
const sources = new Map<string, SrSource>([
  [a.sop, { header: parsedA.header, dataSet: parsedA.dataSet }],
  [b.sop, { header: parsedB.header, dataSet: parsedB.dataSet }],
]);
const model = MODEL_CATALOG.anomaly;
const algorithm = screeningAlgorithm(model, 0.0591, 0.0591);
const regions: AnomalyRegion[] = [
  { image: { sopInstanceUID: b.sop, frame: 0 }, box: { rowMin: 10, rowMax: 19, columnMin: 30, columnMax: 41 }, score: 3.25 },
  { image: { sopInstanceUID: a.sop, frame: 0 }, box: { rowMin: 0, rowMax: 0, columnMin: 5, columnMax: 6 }, score: 1.0625 },
];
const sr = writeAnomalyReport(regions, sources, algorithm, { now: new Date(2026, 1, 3, 4, 5, 6) });
const ds = dicomParser.parseDicom(sr);
const groups = items(ds).filter((i) => meaning(i.ds) === 'Measurement Group').map((i) => i.ds);

describe('writeAnomalyReport', () => {
  it('is a Comprehensive SR holding a TID 1500 report whose observer is the model, as a device (TID 1004)', () => {
    expect(ds.string('x00080016')).toBe(COMPREHENSIVE_SR);
    expect(meaning(ds)).toBe('Imaging Measurement Report');
    expect(ds.elements.x0040a504?.items?.[0]?.dataSet?.string('x0040db00')).toBe('1500');
    const top = items(ds).filter((i) => i.depth === 0).map((i) => i.ds);
    const observerType = top.find((d) => meaning(d) === 'Observer Type')!;
    expect(code(observerType, 'x0040a168')).toBe('DCM:121007');
    expect(top.find((d) => meaning(d) === 'Device Observer UID')!.string('x0040a124')).toBe(deviceObserverUid(model.sha256));
    const t = texts(ds);
    expect(t.get('Device Observer Name')).toEqual(['Lucid anomaly']);
    expect(t.get('Device Observer Manufacturer')).toEqual(['Lucid']);
    expect(t.get('Device Observer Model Name')).toEqual([model.title]);
    expect(top.some((d) => meaning(d) === 'Person Observer Name')).toBe(false);
    expect(ds.string('x00080070')).toBe('Lucid');
    expect(ds.string('x00081090')).toBe(model.title);
    expect(ds.string('x00181020')).toBe(algorithm.version);
  });

  it('names the same device for the same model file, and a UID that is a valid 2.25 UUID', () => {
    const uid = deviceObserverUid(model.sha256);
    expect(uid).toBe(deviceObserverUid(model.sha256));
    expect(uid).not.toBe(deviceObserverUid('0'.repeat(64)));
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
    const hex = BigInt(uid.slice(5)).toString(16).padStart(32, '0');
    expect(hex[12]).toBe('8');
    expect('89ab').toContain(hex[16]);
    expect(uid.length).toBeLessThanOrEqual(64);
  });

  it('has one group per region: the Abnormal finding and the score in {score}, not a probability', () => {
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      const finding = items(g).find((i) => meaning(i.ds) === 'Finding')!.ds;
      expect(code(finding, 'x0040a168')).toBe('SCT:263654008');
      const score = items(g).find((i) => i.ds.string('x0040a040') === 'NUM')!.ds;
      expect(code(score)).toBe('SCT:246262008');
      const units = score.elements.x0040a300!.items![0]!.dataSet!;
      expect(code(units, 'x004008ea')).toBe('UCUM:{score}');
    }
    expect(numbers(ds).get('Score')).toEqual([3.25, 1.0625]);
    expect(texts(ds).get('Comment')).toEqual([REGION_SCORE_MEANING, REGION_SCORE_MEANING]);
    expect(REGION_SCORE_MEANING).toMatch(/not a probability/);
    expect(texts(ds).get('Tracking Identifier')).toEqual(['Anomaly region 1', 'Anomaly region 2']);
  });

  it('draws each region as a closed POLYLINE around its pixels, SELECTED FROM its image', () => {
    const scoord = groups.map((g) => items(g).find((i) => i.ds.string('x0040a040') === 'SCOORD')!.ds);
    const xy = (d: dicomParser.DataSet) => Array.from({ length: d.elements.x00700022!.length / 4 }, (_, k) => d.float('x00700022', k));
    expect(scoord.map((d) => d.string('x00700023'))).toEqual(['POLYLINE', 'POLYLINE']);
    expect(xy(scoord[0]!)).toEqual([30, 10, 42, 10, 42, 20, 30, 20, 30, 10]); // pixel edges: columns 30–41, rows 10–19
    expect(xy(scoord[1]!)).toEqual([5, 0, 7, 0, 7, 1, 5, 1, 5, 0]);
    const image = (d: dicomParser.DataSet) => items(d)[0]!.ds.elements.x00081199!.items![0]!.dataSet!;
    expect(scoord.map((d) => image(d).string('x00081155'))).toEqual([b.sop, a.sop]);
    expect(image(scoord[0]!).string('x00081150')).toBe(parsedB.header.sopClassUID);
    expect(image(scoord[0]!).elements.x00081160).toBeUndefined(); // single-frame: no frame number
  });

  it('identifies the algorithm per TID 4019: family, name, version, and the sha256 and threshold as parameters', () => {
    const t = texts(ds);
    expect(t.get('Algorithm Name')).toEqual([`${model.title} [anomaly]`, `${model.title} [anomaly]`]);
    expect(t.get('Algorithm Version')).toEqual([algorithm.version, algorithm.version]);
    expect(algorithm.version).toBe(`sha256:${model.sha256.slice(0, 16)}`);
    const params = t.get('Algorithm Parameters')!;
    expect(params.filter((p) => p === `model sha256 ${model.sha256}`)).toHaveLength(2);
    expect(params.filter((p) => p.startsWith('threshold 0.0591 '))).toHaveLength(2);
    const family = items(ds).filter((i) => meaning(i.ds) === 'Algorithm Family').map((i) => code(i.ds, 'x0040a168'));
    expect(family).toEqual(['DCM:123110', 'DCM:123110']);
  });

  it('copies the patient and study modules from the source, so it files with its study', () => {
    for (const [tag, value] of [['x00100010', 'Doe^Jane'], ['x00100020', 'MRN-77'], ['x00100040', 'F'], ['x00080050', 'ACC-5'], ['x00080090', 'Who^Referred'],
      ['x0020000d', parsedA.header.studyInstanceUID], ['x00080020', '20260101'], ['x00080030', '101500']] as const) {
      expect(ds.string(tag), tag).toBe(value);
    }
    expect(ds.string('x00120062')).toBeUndefined(); // the source is not de-identified and neither is this
    const evidence = ds.elements.x0040a375!.items!.flatMap((i) => i.dataSet!.elements.x00081115!.items!.map((s) => s.dataSet!.elements.x00081199!.items![0]!.dataSet!.string('x00081155')));
    expect(new Set(evidence)).toEqual(new Set([a.sop, b.sop]));
  });

  it('reads back with dcmjs (naturalized)', () => {
    const dict = dcmjs.data.DicomMessage.readFile(sr.slice().buffer);
    const n = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict) as { PatientID: string; ContentSequence: { ConceptNameCodeSequence: { CodeMeaning: string }[] }[] };
    expect(n.PatientID).toBe('MRN-77');
    expect(n.ContentSequence.map((c) => c.ConceptNameCodeSequence[0]!.CodeMeaning)).toContain('Imaging Measurements');
  });

  it('with no region, still says who screened at what threshold (an empty Imaging Measurements container)', () => {
    const empty = dicomParser.parseDicom(writeAnomalyReport([], sources, algorithm));
    expect(items(empty).filter((i) => meaning(i.ds) === 'Measurement Group')).toHaveLength(0);
    expect(items(empty).some((i) => meaning(i.ds) === 'Imaging Measurements')).toBe(true);
    expect(texts(empty).get('Device Observer Name')).toEqual(['Lucid anomaly']);
    expect(empty.string('x0020000d')).toBe(parsedA.header.studyInstanceUID);
    expect(() => writeAnomalyReport([], new Map(), algorithm)).toThrow(/no image/);
    expect(() => writeAnomalyReport([{ ...regions[0]!, image: { sopInstanceUID: '1.2.3', frame: 0 } }], sources, algorithm)).toThrow(/no header/);
  });

  const dsrdump = dcmtkTool('dsrdump');
  it.skipIf(dsrdump.skip)(`dcmtk's dsrdump reads it and shows the algorithm, version, sha256 and scores${dsrdump.title}`, () => {
    const r = dsrdump.run(sr, ['+Pu', '+Pc', '+Pl']); // +Pl: print long text values in full
    expect(r.status, r.stderr).toBe(0);
    expect(dcmtkLogged(r.stderr), r.stderr).toEqual([]);
    for (const s of ['Imaging Measurement Report', '"Device"', `${model.title} [anomaly]`, algorithm.version, model.sha256, '"3.25"', '"1.0625"', '{score}', 'Abnormal', a.sop, b.sop]) {
      expect(r.stdout, s).toContain(s);
    }
  });
});
