// writeScreeningSr / writeScreeningSeg: what the app and `lucid screen --push` both store. The SR lists every region
// strongest first; the SEG keeps only frames with a pixel at or above the threshold, and is not written when none has.
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readStructuredReport } from '../../../src/dicom/readSr';
import { writeScreeningSeg, writeScreeningSr, writeTeachingKey, type ScreenedFrame } from '../../../src/dicom/screeningObjects';
import type { Finding } from '../../../src/teaching/model';
import { screeningAlgorithm } from '../../../src/dicom/writeAnomalySr';
import { identifiedInstance } from '../../fixtures/segSources';

const [a, b] = [identifiedInstance(0), identifiedInstance(1)].map((x) => parseInstance(x.bytes));
const algorithm = screeningAlgorithm(MODEL_CATALOG.anomaly, 0.5, 0.25);
function frame(p: typeof a, hot: number[]): ScreenedFrame {
  const scores = new Float32Array(p!.header.rows * p!.header.columns);
  for (const i of hot) scores[i] = 0.9;
  return { source: { header: p!.header, dataSet: p!.dataSet }, frame: 0, scores, regions: hot.length ? [{ box: { rowMin: 0, rowMax: 0, columnMin: hot[0]!, columnMax: hot[0]! }, score: hot.length }] : [] };
}

describe('screening objects', () => {
  it('SR: every region, strongest first, named for the series', () => {
    const sr = dicomParser.parseDicom(writeScreeningSr(algorithm, [frame(a, [1]), frame(b, [3, 4, 5])]));
    expect(sr.string('x0008103e')).toBe('Lucid anomaly findings');
    const scores = readStructuredReport(sr).groups.map((g) => g.values.find((v) => /score/i.test(v.name))?.value);
    expect(scores).toEqual([3, 1]);
  });

  it('SEG: only the frames with a pixel at or above the threshold; none at all gives no SEG', () => {
    const seg = dicomParser.parseDicom(writeScreeningSeg(algorithm, [frame(a, []), frame(b, [3, 4])])!);
    expect(seg.string('x0008103e')).toBe('Lucid anomaly regions');
    expect(seg.intString('x00280008')).toBe(1);
    expect(writeScreeningSeg(algorithm, [frame(a, []), frame(b, [])])).toBeNull();
  });
});

describe('teaching key', () => {
  const ref = (p: typeof a) => ({ studyInstanceUID: p!.header.studyInstanceUID, seriesInstanceUID: p!.header.seriesInstanceUID, sopInstanceUID: p!.header.sopInstanceUID, frame: 0 });
  const findings: Finding[] = [
    { id: 'f1', image: ref(a), region: { kind: 'box', corners: [{ x: 2, y: 3 }, { x: 10, y: 12 }] }, label: 'nodule', difficulty: 2, explanation: 'Round, well defined.', toleranceMm: null },
    { id: 'f2', image: ref(b), region: { kind: 'point', point: { x: 5, y: 5 } }, label: 'calcification', difficulty: 1, explanation: '', toleranceMm: null },
  ];
  const sources = new Map([a, b].map((p) => [p!.header.sopInstanceUID, { header: p!.header, dataSet: p!.dataSet }]));

  it('an SR with a group per finding (labels kept) and a SEG with a segment per finding that has an area', () => {
    const { sr, seg } = writeTeachingKey(findings, sources, 'copy');
    const report = readStructuredReport(dicomParser.parseDicom(sr));
    expect(report.groups.map((g) => g.label)).toEqual(['nodule', 'calcification']);
    expect(report.groups[0]!.regions[0]!.sopInstanceUID).toBe(a!.header.sopInstanceUID);
    const s = dicomParser.parseDicom(seg!);
    expect(s.string('x0008103e')).toBe('Lucid teaching key regions');
    expect(s.elements.x00620002?.items?.map((i) => i.dataSet!.string('x00620005'))).toEqual(['nodule']);
    expect(s.elements.x00620002?.items?.[0]?.dataSet?.string('x00620008')).toBe('MANUAL');
  });

  it('no SEG when no finding has an area', () => {
    expect(writeTeachingKey([findings[1]!], sources, 'copy').seg).toBeNull();
  });
});
