// readStructuredReport: a screening SR written by writeAnomalyReport and a measurement report written by
// writeMeasurementReport read back into their groups — the same regions, scores, images and frames that went in.
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { isStructuredReport, readStructuredReport } from '../../../src/dicom/readSr';
import { screeningAlgorithm, writeAnomalyReport, type AnomalyRegion } from '../../../src/dicom/writeAnomalySr';
import type { SrSource } from '../../../src/dicom/writeSr';
import { identifiedInstance } from '../../fixtures/segSources';

const a = identifiedInstance(0), b = identifiedInstance(1);
const sources = new Map<string, SrSource>([a, b].map((x) => { const p = parseInstance(x.bytes); return [x.sop, { header: p.header, dataSet: p.dataSet }]; }));

describe('readStructuredReport', () => {
  it('reads back each region of a screening SR: its image, frame, box corners, score and finding; and the device observer', () => {
    const regions: AnomalyRegion[] = [
      { image: { sopInstanceUID: b.sop, frame: 0 }, box: { rowMin: 10, rowMax: 19, columnMin: 30, columnMax: 41 }, score: 3.25 },
      { image: { sopInstanceUID: a.sop, frame: 0 }, box: { rowMin: 0, rowMax: 2, columnMin: 5, columnMax: 6 }, score: 1.0625 },
    ];
    const ds = dicomParser.parseDicom(writeAnomalyReport(regions, sources, screeningAlgorithm(MODEL_CATALOG.anomaly, 0.06, 0.06)));
    expect(isStructuredReport(ds.string('x00080016') ?? '')).toBe(true);
    const r = readStructuredReport(ds);
    expect(r.title).toBe('Imaging Measurement Report');
    expect(r.observer).toBe('Lucid anomaly');
    expect(r.groups).toHaveLength(2);
    for (const [i, g] of r.groups.entries()) {
      const want = regions[i]!;
      expect(g.finding).toBe('Abnormal');
      expect(g.values.find((v) => /score/i.test(v.name))?.value).toBeCloseTo(want.score, 6);
      expect(g.regions).toHaveLength(1);
      const reg = g.regions[0]!;
      expect([reg.sopInstanceUID, reg.frame]).toEqual([want.image.sopInstanceUID, 0]);
      const xs = reg.points.filter((_, k) => k % 2 === 0), ys = reg.points.filter((_, k) => k % 2 === 1);
      // The box encloses the region's pixels (pixel edges or centres, whichever convention the writer chose).
      expect(Math.min(...xs)).toBeLessThanOrEqual(want.box.columnMin + 0.5);
      expect(Math.max(...xs)).toBeGreaterThanOrEqual(want.box.columnMax);
      expect(Math.min(...ys)).toBeLessThanOrEqual(want.box.rowMin + 0.5);
      expect(Math.max(...ys)).toBeGreaterThanOrEqual(want.box.rowMax);
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(want.box.columnMax - want.box.columnMin + 1.01);
    }
  });

  it('gives no groups, not an error, for an image or a tree it does not know', () => {
    const ds = dicomParser.parseDicom(a.bytes);
    expect(readStructuredReport(ds).groups).toEqual([]);
  });
});
