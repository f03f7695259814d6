// One Annotation → one dcmjs TID 300 measurement (PS3.16 TID 300 / TID 1501) for writeSr: SCOORD in source-image
// pixels of the referenced frame (PS3.3 C.18.6: column, row; (0,0) the top-left corner of the first pixel — the same
// space as the teaching model), values from src/shared/measure in mm, mm², degrees or modality units, UCUM-coded.
import dcmjs, { type TID300Measurement } from 'dcmjs';
import { measure, spacingOf, type MeasurePixels, type Spacing } from '../shared/measure';
import type { InstanceHeader } from '../shared/types';
import type { Annotation, AnnotationKind, Finding, Point } from '../teaching/model';
import { CODE } from './codes';
import type { SourceImage } from './patientStudy';
import { formatDS } from './writeDicom';

const { TID300 } = dcmjs.utilities;
type Json = Record<string, unknown>;

/**
 * What writeSr needs about an annotation's image: its header (and parsed dataset, for the full patient and study
 * modules where a writer copies them) and, for region statistics and probes, its pixels.
 */
export interface SrSource extends SourceImage {
  /** Stored values + rescale of one frame (0-based); omitted = values that need pixels are left out. */
  pixels?: (frame: number) => MeasurePixels | null;
}

// UCUM "[arb'U]" for modality values without a physical unit (MR signal); dcmjs maps only the units it knows.
TID300.unit2CodingValue.measurementMap["[arb'U]"] ??= { CodeValue: "[arb'U]", CodingSchemeDesignator: 'UCUM', CodingSchemeVersion: '1.4', CodeMeaning: 'arbitrary unit' };

/** A plane angle (SCT 1483009 "Angle"): dcmjs's Cobb angle shape (two arms through the vertex), correctly named. */
class PlaneAngle extends TID300.CobbAngle {
  override getConceptNameCodeSequence(): Json {
    return { CodeValue: '1483009', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Angle' };
  }
}

/** A probe: the modality value of the pixel under the point, as the mean of that one pixel (SCT 373098007). */
class ProbeValue extends TID300.TID300Measurement {
  override contentItem(): Json[] {
    const { point, value, unit } = this.props as unknown as { point: Point; value: number; unit: string };
    return this.getMeasurement([{
      RelationshipType: 'CONTAINS', ValueType: 'NUM',
      ConceptNameCodeSequence: { CodeValue: '373098007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Mean' },
      MeasuredValueSequence: { MeasurementUnitsCodeSequence: TID300.unit2CodingValue(unit), NumericValue: value },
      ContentSequence: {
        RelationshipType: 'INFERRED FROM', ValueType: 'SCOORD', GraphicType: 'POINT', GraphicData: [point.x, point.y],
        ContentSequence: { RelationshipType: 'SELECTED FROM', ValueType: 'IMAGE', ReferencedSOPSequence: this.ReferencedSOPSequence },
      },
    }]);
  }
}

/** NumericValue is DS: at most 16 characters (PS3.5 §6.2), so round here rather than let dcmjs cut the string. */
const ds = (n: number): number => Number(formatDS(n));

/** CT stores HU (PS3.3 C.8.2.1.1.3); other modalities' values have no physical unit here. */
function modalityUnit(h: InstanceHeader): string {
  return h.modality === 'CT' ? 'HU' : "[arb'U]";
}

function perimeter(closed: readonly Point[], s: Spacing | null): number {
  let sum = 0;
  for (let i = 1; i < closed.length; i++) {
    const dx = (closed[i]!.x - closed[i - 1]!.x) * (s?.column ?? 1);
    const dy = (closed[i]!.y - closed[i - 1]!.y) * (s?.row ?? 1);
    sum += Math.hypot(dx, dy);
  }
  return sum;
}

/** Free text as dcmjs's cornerstone adapters read it back (a Finding code whose meaning is the text; LO ≤ 64). */
function freeText(text: string): Json | undefined {
  const t = text.trim().slice(0, 64);
  return t ? { CodeValue: 'CS3DTEXT', CodingSchemeDesignator: '99dcmjs', CodeMeaning: t } : undefined;
}

/** A teaching finding (an answer-key entry) as the annotation the measurement report writes: label and explanation kept. */
export function findingAsAnnotation(f: Finding): Annotation {
  const r = f.region;
  const [kind, points]: [AnnotationKind, Point[]] = r.kind === 'point' ? ['probe', [r.point]]
    : r.kind === 'box' ? ['rectangle', [...r.corners]]
    : r.kind === 'ellipse' ? ['ellipse', [...r.corners]]
    : ['freehand', r.points];
  return { id: f.id, kind, image: f.image, points, label: f.label, text: f.explanation, createdAt: 0, updatedAt: 0 };
}

/**
 * The TID 300 measurement for one annotation, or null when it cannot be measured (a degenerate angle). An arrow's text
 * is its finding; any other annotation's text is kept as a Comment (TEXT) in its group.
 */
export function toTid300(a: Annotation, source: SrSource, referencedSop: Json): TID300Measurement | null {
  const m = measurementOf(a, source, referencedSop);
  const note = a.text.trim();
  if (!m || a.kind === 'arrow' || !note) return m;
  const items = m.contentItem.bind(m);
  m.contentItem = () => [...items(), { RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: CODE.comment, TextValue: note }];
  return m;
}

function measurementOf(a: Annotation, source: SrSource, referencedSop: Json): TID300Measurement | null {
  const h = source.header;
  const spacing = spacingOf(h.pixelSpacing);
  const pixels = source.pixels?.(a.image.frame) ?? null;
  const m = measure(a.kind, a.points, spacing, pixels);
  const lengthUnit = spacing ? 'mm' : 'px';
  const base = {
    ReferencedSOPSequence: referencedSop,
    trackingIdentifierTextValue: a.label || `${a.kind} ${a.id}`.slice(0, 64),
    finding: freeText(a.kind === 'arrow' ? a.text : a.label),
  };
  const [p0, p1, p2] = a.points;
  switch (a.kind) {
    case 'length':
      if (m.kind !== 'length') return null;
      return new TID300.Length({ ...base, point1: p0, point2: p1, distance: ds(m.mm ?? m.px), unit: lengthUnit });
    case 'angle':
      if (m.kind !== 'angle' || m.deg === null) return null;
      return new PlaneAngle({ ...base, point1: p0, point2: p1, point3: p1, point4: p2, rAngle: ds(m.deg) });
    case 'probe': {
      if (m.kind !== 'probe' || m.value === null || !p0) return new TID300.Point({ ...base, points: [p0] });
      return new ProbeValue({ ...base, point: p0, value: ds(m.value), unit: modalityUnit(h) });
    }
    case 'arrow':
      return new TID300.ArrowAnnotate({ ...base, points: [p0, p1] });
    case 'ellipse': case 'rectangle': case 'freehand': {
      if (m.kind !== 'region' || !p0 || !p1) return null;
      const s = m.stats;
      const stats = pixels && s.pixels > 0 ? { mean: ds(s.mean), stdDev: ds(s.sd), min: ds(s.min), max: ds(s.max), modalityUnit: modalityUnit(h) } : {};
      const area = { area: ds(s.areaMm2 ?? s.areaPx), areaUnit: spacing ? 'mm2' : 'px²' };
      if (a.kind === 'ellipse') {
        // DICOM ELLIPSE: major axis end points, then minor axis end points (PS3.3 C.18.6.1.2); ours is inscribed in the box.
        const cx = (p0.x + p1.x) / 2, cy = (p0.y + p1.y) / 2, rx = Math.abs(p1.x - p0.x) / 2, ry = Math.abs(p1.y - p0.y) / 2;
        const horizontal = [{ x: cx - rx, y: cy }, { x: cx + rx, y: cy }], vertical = [{ x: cx, y: cy - ry }, { x: cx, y: cy + ry }];
        return new TID300.Ellipse({ ...base, ...area, ...stats, points: rx >= ry ? [...horizontal, ...vertical] : [...vertical, ...horizontal] });
      }
      const ring = a.kind === 'rectangle' ? [p0, { x: p1.x, y: p0.y }, p1, { x: p0.x, y: p1.y }] : a.points;
      const closed = [...ring, ring[0]!]; // a closed POLYLINE repeats its first point (PS3.3 C.18.6.1.2)
      return new TID300.Polyline({ ...base, ...area, ...stats, points: closed, perimeter: ds(perimeter(closed, spacing)), unit: lengthUnit });
    }
  }
}
