// writeScreeningSr / writeScreeningSeg: what the app and `lucid screen --push` both store. The SR lists every region
// strongest first; the SEG keeps only frames with a pixel at or above the threshold, and is not written when none has.
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readStructuredReport } from '../../../src/dicom/readSr';
import { writeScreeningSeg, writeScreeningSr, type ScreenedFrame } from '../../../src/dicom/screeningObjects';
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
