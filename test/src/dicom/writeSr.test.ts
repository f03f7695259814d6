// writeMeasurementReport: the SR re-parses with dicom-parser (SR SOP class, TID 1500 tree, one measurement group per
// annotation, referenced instances, the measured values, UTF-8 text under ISO_IR 192) and with dcmtk's dsrdump where
// installed (required under CI).
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readText } from '../../../src/dicom/readText';
import { syntheticImage } from '../../../src/dicom/synthetic/sampleStudy';
import { COMPREHENSIVE_SR, writeMeasurementReport, type SrSource } from '../../../src/dicom/writeSr';
import { findingAsAnnotation } from '../../../src/dicom/srMeasurements';
import { measure, spacingOf, type MeasurePixels } from '../../../src/shared/measure';
import type { Annotation, AnnotationKind, Finding, Point } from '../../../src/teaching/model';
import { dcmtkLogged, dcmtkTool } from '../../fixtures/dcmtk';
import { items, meaning, numbers, texts } from '../../fixtures/srTree';
import { SPEC, instanceBytes } from '../../fixtures/teachingPacket';

const a = instanceBytes(0), b = instanceBytes(1);
const pixelsOf = (i: number): MeasurePixels => ({ values: syntheticImage(SPEC, i).stored, rows: SPEC.size, columns: SPEC.size, slope: 1, intercept: -1024 });
const sources = new Map<string, SrSource>([
  [a.sop, { header: parseInstance(a.bytes).header, pixels: () => pixelsOf(0) }],
  [b.sop, { header: parseInstance(b.bytes).header, pixels: () => pixelsOf(1) }],
]);
const h = sources.get(a.sop)!.header;
const p = (x: number, y: number): Point => ({ x, y });
function ann(kind: AnnotationKind, sop: string, points: Point[], label: string, text = ''): Annotation {
  const image = { studyInstanceUID: h.studyInstanceUID, seriesInstanceUID: h.seriesInstanceUID, sopInstanceUID: sop, frame: 0 };
  return { id: `id-${kind}`, kind, image, points, label, text, createdAt: 0, updatedAt: 0 };
}
const annotations = [
  ann('length', a.sop, [p(10, 10), p(40, 50)], 'RUL nodule'),
  ann('ellipse', a.sop, [p(20, 20), p(44, 36)], 'liver ROI'),
  ann('angle', b.sop, [p(10, 0), p(10, 10), p(20, 10)], 'carina'),
  ann('probe', b.sop, [p(32.4, 31.7)], 'probe'),
  ann('arrow', a.sop, [p(30, 30), p(45, 50)], 'arrow', 'Look here: pneumothorax'),
  ann('freehand', b.sop, [p(8, 8), p(30, 10), p(28, 30), p(9, 26)], 'effusion'),
];
const spacing = spacingOf(h.pixelSpacing);
const expected = {
  length: (measure('length', annotations[0]!.points, spacing, null) as { mm: number }).mm,
  ellipse: measure('ellipse', annotations[1]!.points, spacing, pixelsOf(0)) as { stats: { areaMm2: number; mean: number } },
  angle: (measure('angle', annotations[2]!.points, spacing, null) as { deg: number }).deg,
  probe: (measure('probe', annotations[3]!.points, spacing, pixelsOf(1)) as { value: number }).value,
  freehand: measure('freehand', annotations[5]!.points, spacing, pixelsOf(1)) as { stats: { areaMm2: number; mean: number } },
};

const sr = writeMeasurementReport(annotations, sources, { seriesDescription: 'Teaching measurements', now: new Date(2026, 0, 2, 3, 4, 5) });
const ds = dicomParser.parseDicom(sr);

describe('writeMeasurementReport', () => {
  it('is a Comprehensive SR whose root is the TID 1500 Imaging Measurement Report', () => {
    expect(ds.string('x00080016')).toBe(COMPREHENSIVE_SR);
    expect(ds.string('x00020002')).toBe(COMPREHENSIVE_SR);
    expect(ds.string('x00080060')).toBe('SR');
    expect(meaning(ds)).toBe('Imaging Measurement Report');
    expect(ds.elements.x0040a504?.items?.[0]?.dataSet?.string('x0040db00')).toBe('1500');
    expect(ds.string('x0008103e')).toBe('Teaching measurements');
    expect(ds.string('x00080023')).toBe('20260102');
    expect(ds.string('x0020000d')).toBe(h.studyInstanceUID);
  });

  it('has one Measurement Group per annotation, each referencing its image', () => {
    const groups = items(ds).filter((i) => meaning(i.ds) === 'Measurement Group');
    expect(groups).toHaveLength(annotations.length);
    const refs = items(ds).map((i) => i.ds.elements.x00081199?.items?.[0]?.dataSet?.string('x00081155')).filter(Boolean);
    expect(new Set(refs)).toEqual(new Set([a.sop, b.sop]));
    const tracking = items(ds).filter((i) => meaning(i.ds) === 'Tracking Identifier').map((i) => i.ds.string('x0040a160'));
    expect(tracking).toEqual(annotations.map((x) => x.label));
    const evidence = ds.elements.x0040a375?.items?.map((i) => i.dataSet!.elements.x00081115!.items![0]!.dataSet!.elements.x00081199!.items![0]!.dataSet!.string('x00081155'));
    expect(new Set(evidence)).toEqual(new Set([a.sop, b.sop]));
  });

  it('carries the measured values in mm, mm², degrees and HU', () => {
    const n = numbers(ds);
    expect(n.get('Length')![0]).toBeCloseTo(expected.length, 4);
    expect(n.get('Angle')![0]).toBeCloseTo(expected.angle, 4);
    expect(n.get('Area')![0]).toBeCloseTo(expected.ellipse.stats.areaMm2, 3);
    expect(n.get('Area')![1]).toBeCloseTo(expected.freehand.stats.areaMm2, 3);
    expect(n.get('Mean')).toEqual(expect.arrayContaining([expect.closeTo(expected.ellipse.stats.mean, 3), expected.probe]));
    const units = items(ds).map((i) => meaning(i.ds.elements.x0040a300?.items?.[0]?.dataSet ?? ds, 'x004008ea')).filter(Boolean);
    expect(units).toEqual(expect.arrayContaining(['mm', 'mm2', 'Hounsfield unit']));
  });

  it('keeps the arrow text as a free-text finding and the freehand contour closed', () => {
    const finding = items(ds).find((i) => meaning(i.ds) === 'Finding' && meaning(i.ds, 'x0040a168') === 'Look here: pneumothorax');
    expect(finding).toBeDefined();
    const polylines = items(ds).filter((i) => i.ds.string('x00700023') === 'POLYLINE').map((i) => i.ds);
    const contour = polylines.find((d) => d.elements.x00700022!.length / 4 === 10)!; // 4 points + the first again, x and y
    const xy = Array.from({ length: 10 }, (_, k) => contour.float('x00700022', k));
    expect(xy).toEqual([8, 8, 30, 10, 28, 30, 9, 26, 8, 8]);
  });

  it('copies patient identity only from de-identified headers', () => {
    const named = { ...h, patientName: 'DOE JOHN', patientID: 'MRN123', patientIdentityRemoved: false };
    const raw = dicomParser.parseDicom(writeMeasurementReport([annotations[0]!], new Map([[a.sop, { header: named }]])));
    expect(raw.string('x00100010') ?? '').toBe('');
    expect(raw.string('x00100020') ?? '').toBe('');
    expect(raw.string('x00120062')).toBeUndefined();
    const deid = dicomParser.parseDicom(writeMeasurementReport([annotations[0]!], new Map([[a.sop, { header: { ...named, patientIdentityRemoved: true } }]])));
    expect(deid.string('x00100020')).toBe('MRN123');
    expect(deid.string('x00120062')).toBe('YES');
    const kept = dicomParser.parseDicom(writeMeasurementReport([annotations[0]!], new Map([[a.sop, { header: named }]]), { identity: 'copy' }));
    expect([kept.string('x00100010'), kept.string('x00100020'), kept.string('x00120062')]).toEqual(['DOE^JOHN', 'MRN123', undefined]);
  });

  it('declares ISO_IR 192, so a non-ASCII name and observer read back as written', () => {
    const named = { ...h, patientName: 'Buc Jérôme', patientIdentityRemoved: true };
    const bytes = writeMeasurementReport([annotations[0]!], new Map([[a.sop, { header: named }]]), { observerName: 'Müller^Jürgen' });
    const parsed = parseInstance(bytes);
    expect(readText(parsed.dataSet, 'x00080005', 'CS')).toBe('ISO_IR 192');
    expect(readText(parsed.dataSet, 'x00100010', 'PN')).toBe('Buc^Jérôme');
    expect(parsed.header.patientName).toBe('Buc Jérôme');
    const observer = items(parsed.dataSet).map((i) => i.ds).find((d) => d.elements.x0040a123);
    expect(observer && readText(observer, 'x0040a123', 'PN', 'ISO_IR 192')).toBe('Müller^Jürgen');
  });

  it('writes a teaching key through the same path: each label as tracking identifier and finding, each explanation as a Comment', () => {
    const image = annotations[0]!.image;
    const findings: Finding[] = [
      { id: 'f1', image, region: { kind: 'box', corners: [p(4, 4), p(20, 12)] }, label: 'nodule', difficulty: 2, explanation: 'Spiculated, RUL', toleranceMm: null },
      { id: 'f2', image, region: { kind: 'ellipse', corners: [p(30, 30), p(40, 44)] }, label: 'cyst', difficulty: 1, explanation: '', toleranceMm: 2 },
      { id: 'f3', image, region: { kind: 'freehand', points: [p(1, 1), p(9, 1.5), p(5, 8)] }, label: 'effusion', difficulty: 3, explanation: 'Layering', toleranceMm: null },
      { id: 'f4', image, region: { kind: 'point', point: p(32.5, 31.5) }, label: 'calcification', difficulty: 4, explanation: 'Punctate', toleranceMm: null },
    ];
    const key = dicomParser.parseDicom(writeMeasurementReport(findings.map(findingAsAnnotation), sources));
    const t = texts(key);
    expect(t.get('Tracking Identifier')).toEqual(['nodule', 'cyst', 'effusion', 'calcification']);
    expect(t.get('Comment')).toEqual(['Spiculated, RUL', 'Layering', 'Punctate']);
    const found = items(key).filter((i) => meaning(i.ds) === 'Finding').map((i) => meaning(i.ds, 'x0040a168'));
    expect(found).toEqual(['nodule', 'cyst', 'effusion', 'calcification']);
    expect(numbers(key).get('Mean')).toHaveLength(4); // three regions and the point's probe value
  });

  const dsrdump = dcmtkTool('dsrdump');
  it.skipIf(dsrdump.skip)(`dcmtk's dsrdump reads it${dsrdump.title}`, () => {
    const r = dsrdump.run(sr, ['+Pu', '+Pc']);
    expect(r.status, r.stderr).toBe(0);
    expect(dcmtkLogged(r.stderr), r.stderr).toEqual([]);
    expect(r.stdout).toContain('Imaging Measurement Report');
    for (const sop of [a.sop, b.sop]) expect(r.stdout).toContain(sop);
    const ds2 = numbers(ds);
    for (const [name, values] of ds2) for (const v of values) expect(r.stdout, name).toContain(String(v).slice(0, 6));
    expect(r.stdout).toContain('Look here: pneumothorax');
  });
});
