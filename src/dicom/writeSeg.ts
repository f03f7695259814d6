// Binary masks on source images → a DICOM Segmentation (PS3.3 A.51, SOP Class 1.2.840.10008.5.1.4.1.1.66.4):
// SegmentationType BINARY, 1 bit per pixel packed least significant bit first with frames back to back (PS3.5 8.1.1),
// one frame per (segment, source frame) that has any pixel set — empty frames are not stored, which the standard allows
// and every reader handles (each stored frame names its source image and segment). Each frame carries its Derivation
// Image (source image + purpose) and Segment Identification; Plane Position and Orientation, Pixel Measures and the
// Frame of Reference come from the sources when they have a patient geometry. Dimensions: Referenced Segment Number,
// then Image Position (Patient) (PS3.3 C.7.6.17). Patient and study modules are copied from the sources.
//
// Why not dcmjs.derivations.Segmentation: it derives from a "normalized multiframe" dataset of the source, which
// dcmjs's Normalizer makes only from 16-bit pixel data of at least two CT/MR/PET slices; given one built by hand, it
// throws for a source without Plane Position (projection images), gives a multi-frame source's frames the wrong
// Referenced Frame Number (its index in the list, and only for the SOP classes it knows), and puts Study Instance UID
// in the Referenced Series item. So the attributes are built here as a naturalized dataset, and dcmjs does what it does
// well: 1-bit packing (BitArray.pack), sRGB → CIELab (Colors), and denaturalizing and writing the Part 10 bytes.
// Thread-neutral, pure but for new UIDs and the clock.
import dcmjs, { type Json } from 'dcmjs';
import type { Finding, ImageRef, Point } from '../teaching/model';
import { insidePolygon } from '../shared/measure';
import { CODE, FINDING_TYPES, type Code } from './codes';
import { patientStudyOf, type SourceImage } from './patientStudy';
import { readText } from './readText';
import { da, part10, tm, type NewSeriesOptions } from './writeSr';
import type { ScreeningAlgorithm } from './writeAnomalySr';
import { formatDS } from './writeDicom';

const { BitArray, Colors, DicomMetaDictionary } = dcmjs.data;

export const SEGMENTATION = '1.2.840.10008.5.1.4.1.1.66.4';

/** A source image: header (and dataset, for the full patient/study modules and the Frame of Reference UID). */
export interface SegSource extends SourceImage {
  /** Frame of Reference UID (0020,0052) when there is no dataset to read it from. */
  frameOfReferenceUID?: string;
  /** Image Position (Patient) of each frame (0-based) of a multi-frame source; single-frame sources use the header's. */
  framePosition?: (frame: number) => readonly [number, number, number] | null;
}

/** One source frame's mask: rows × columns of 0/1 (any non-zero is 1), row-major, like the source's pixels. */
export interface FrameMask { image: Pick<ImageRef, 'sopInstanceUID' | 'frame'>; mask: Uint8Array }

export interface SegmentInput {
  /** Segment Label (LO, cut to 64 characters). */
  label: string;
  /** Segment Description (ST). */
  description?: string;
  algorithm: { type: 'MANUAL' } | { type: 'AUTOMATIC' | 'SEMIAUTOMATIC'; name: string; identification?: ScreeningAlgorithm };
  category: Code;
  type: Code;
  /** Recommended display colour, 8-bit sRGB. */
  rgb: readonly [number, number, number];
  masks: FrameMask[];
}

export interface SegOptions extends NewSeriesOptions {
  /** Content Label (CS: upper case, digits, underscore). */
  contentLabel?: string;
  /** Content Creator's Name (PN): who drew MANUAL segments. */
  contentCreatorName?: string;
  /** Software Versions (0018,1020); default "1". */
  softwareVersions?: string;
}

const ANOMALY_RGB = [255, 96, 0] as const;
const FINDING_RGB: readonly (readonly [number, number, number])[] = [[0, 200, 255], [120, 255, 0], [255, 0, 200], [255, 220, 0], [160, 120, 255]];

/**
 * The anomaly segment of a screened series: every pixel whose score is at or above the algorithm's threshold, per
 * screened frame (`scores` rows × columns, as the source). Unlike the SR's regions, specks smaller than the region
 * minimum are kept: the segment is the thresholded map itself.
 */
export function anomalySegment(algorithm: ScreeningAlgorithm, frames: { image: FrameMask['image']; scores: Float32Array }[]): SegmentInput {
  return {
    // ASCII on purpose: dcmjs (so OHIF) decodes text inside sequence items as Latin-1 whatever the character set says.
    label: `Anomaly score >= ${formatDS(algorithm.threshold)}`,
    description: `Pixels at or above threshold ${formatDS(algorithm.threshold)} (model score 0 to 1) of Lucid ${algorithm.modelId} `
      + `(${algorithm.title}), model sha256 ${algorithm.sha256}. ${algorithm.scoreMeaning} For teaching and review; not a diagnosis.`,
    algorithm: { type: 'AUTOMATIC', name: `Lucid ${algorithm.modelId} ${algorithm.version}`, identification: algorithm },
    category: CODE.morphologicallyAbnormalStructure,
    type: CODE.abnormal,
    rgb: ANOMALY_RGB,
    masks: frames.map(({ image, scores }) => ({ image, mask: Uint8Array.from(scores, (s) => (s >= algorithm.threshold ? 1 : 0)) })),
  };
}

/** Is the centre of pixel (column, row) inside the finding's region? Points have no area (null). */
function regionTest(f: Finding): ((x: number, y: number) => boolean) | null {
  const r = f.region;
  if (r.kind === 'point') return null;
  if (r.kind === 'freehand') return r.points.length >= 3 ? (x, y) => insidePolygon(r.points, x, y) : null;
  const [a, b] = r.corners;
  const x0 = Math.min(a.x, b.x), x1 = Math.max(a.x, b.x), y0 = Math.min(a.y, b.y), y1 = Math.max(a.y, b.y);
  if (r.kind === 'box') return (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
  return rx > 0 && ry > 0 ? (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 : null;
}

/** A finding's region as a mask of its image: the pixels whose centre is inside (as src/shared/measure counts them). */
export function findingMask(f: Finding, rows: number, columns: number): Uint8Array | null {
  const inside = regionTest(f);
  if (!inside) return null;
  const mask = new Uint8Array(rows * columns);
  const pts: Point[] = f.region.kind === 'freehand' ? f.region.points : f.region.kind === 'point' ? [] : f.region.corners;
  const c0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p.x)))), c1 = Math.min(columns - 1, Math.ceil(Math.max(...pts.map((p) => p.x))));
  const r0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p.y)))), r1 = Math.min(rows - 1, Math.ceil(Math.max(...pts.map((p) => p.y))));
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (inside(c + 0.5, r + 0.5)) mask[r * columns + c] = 1;
  return mask;
}

/**
 * One MANUAL segment per teaching finding with an area (points have none and are left out): label and explanation
 * kept, the property type coded when the label is in the teaching vocabulary's coded subset (codes.ts).
 */
export function findingSegments(findings: readonly Finding[], sources: ReadonlyMap<string, SourceImage>): SegmentInput[] {
  const out: SegmentInput[] = [];
  for (const f of findings) {
    const h = sources.get(f.image.sopInstanceUID)?.header;
    if (!h) throw new Error(`findingSegments: no header for the image of finding ${f.id} (${f.image.sopInstanceUID})`);
    const mask = findingMask(f, h.rows, h.columns);
    if (!mask) continue;
    const coded = FINDING_TYPES[f.label.trim().toLowerCase()] ?? { category: CODE.morphologicallyAbnormalStructure, type: CODE.abnormal };
    out.push({
      label: f.label || 'finding', ...(f.explanation.trim() ? { description: f.explanation.trim() } : {}),
      algorithm: { type: 'MANUAL' }, ...coded, rgb: FINDING_RGB[out.length % FINDING_RGB.length]!,
      masks: [{ image: f.image, mask }],
    });
  }
  return out;
}

type Vec3 = readonly [number, number, number];
interface FrameGeometry { position: Vec3 | null; orientation: readonly number[] | null }

function frameGeometry(s: SegSource, frame: number): FrameGeometry {
  const h = s.header;
  const position = s.framePosition ? s.framePosition(frame) : h.frames > 1 ? null : h.imagePositionPatient;
  return { position, orientation: h.imageOrientationPatient };
}

const frameOfReferenceOf = (s: SegSource) => s.frameOfReferenceUID ?? (s.dataSet ? readText(s.dataSet, 'x00200052', 'UI').trim() : '');
const key = (sop: string, frame: number) => `${sop}#${frame}`;

function segmentItem(seg: SegmentInput, number: number): Json {
  const a = seg.algorithm;
  const item: Json = {
    SegmentNumber: number,
    SegmentLabel: seg.label.slice(0, 64),
    ...(seg.description ? { SegmentDescription: seg.description.slice(0, 1024) } : {}),
    SegmentAlgorithmType: a.type,
    SegmentedPropertyCategoryCodeSequence: seg.category,
    SegmentedPropertyTypeCodeSequence: seg.type,
    RecommendedDisplayCIELabValue: Colors.rgb82DICOMLAB([...seg.rgb]),
  };
  if (a.type !== 'MANUAL') {
    item.SegmentAlgorithmName = a.name.slice(0, 64);
    const id = a.identification;
    if (id) {
      // Algorithm Identification macro (PS3.3 Table 10-19): where a reader looks for the exact model build.
      item.SegmentationAlgorithmIdentificationSequence = {
        AlgorithmFamilyCodeSequence: CODE.artificialIntelligence,
        AlgorithmName: `${id.title} [${id.modelId}]`.slice(0, 64),
        AlgorithmVersion: id.version.slice(0, 64),
        AlgorithmParameters: `model sha256 ${id.sha256}; threshold ${formatDS(id.threshold)} (model score 0 to 1); score reference ${formatDS(id.reference)}`,
      };
    }
  }
  return item;
}

/**
 * Part 10 bytes (Explicit VR Little Endian) of a BINARY SEG of `segments` on `sources` (all one study, one Rows ×
 * Columns). Frames are stored segment by segment, in the order of the sources along the slice normal (else as given);
 * a segment with no pixel set anywhere is still listed, with no frames. At least one frame must have a pixel set.
 */
export function writeSeg(sources: readonly SegSource[], segments: readonly SegmentInput[], options: SegOptions = {}): Uint8Array {
  const first = sources[0];
  if (!first) throw new Error('writeSeg: no source image');
  const bySop = new Map(sources.map((s) => [s.header.sopInstanceUID, s]));
  const { rows, columns } = first.header;
  for (const s of sources) {
    if (s.header.studyInstanceUID !== first.header.studyInstanceUID) throw new Error('writeSeg: sources from more than one study; write one SEG per study');
    if (s.header.rows !== rows || s.header.columns !== columns) throw new Error(`writeSeg: ${s.header.sopInstanceUID} is ${s.header.rows}×${s.header.columns}, not ${rows}×${columns}: one SEG holds one matrix size`);
  }
  const forUid = frameOfReferenceOf(first);
  const geometric = forUid !== '' && sources.every((s) => s.header.imageOrientationPatient && s.header.pixelSpacing);

  // Dimension index of a source frame: its rank along the slice normal (or its place in the input) among those used.
  const used: { source: SegSource; frame: number; geometry: FrameGeometry }[] = [];
  const seen = new Set<string>();
  for (const seg of segments) for (const m of seg.masks) {
    const source = bySop.get(m.image.sopInstanceUID);
    if (!source) throw new Error(`writeSeg: segment "${seg.label}" has a mask on ${m.image.sopInstanceUID}, which is not among the sources`);
    if (m.mask.length !== rows * columns) throw new Error(`writeSeg: a mask of segment "${seg.label}" has ${m.mask.length} values, not ${rows}×${columns}`);
    if (m.image.frame < 0 || m.image.frame >= source.header.frames) throw new Error(`writeSeg: ${m.image.sopInstanceUID} has no frame ${m.image.frame}`);
    if (seen.has(key(m.image.sopInstanceUID, m.image.frame)) || !m.mask.some((v) => v !== 0)) continue;
    seen.add(key(m.image.sopInstanceUID, m.image.frame));
    const geometry = frameGeometry(source, m.image.frame);
    if (geometric && !geometry.position) throw new Error(`writeSeg: no Image Position (Patient) for frame ${m.image.frame} of ${m.image.sopInstanceUID} (pass framePosition)`);
    used.push({ source, frame: m.image.frame, geometry });
  }
  if (geometric) {
    const o = first.header.imageOrientationPatient!;
    const n = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
    const along = (p: Vec3) => p[0] * n[0]! + p[1] * n[1]! + p[2] * n[2]!;
    used.sort((a, b) => along(a.geometry.position!) - along(b.geometry.position!)); // stable: equal positions keep input order
  }
  const indexOf = new Map(used.map((u, i) => [key(u.source.header.sopInstanceUID, u.frame), i + 1]));
  const sameOrientation = geometric && sources.every((s) => s.header.imageOrientationPatient!.every((v, i) => Math.abs(v - first.header.imageOrientationPatient![i]!) < 1e-4));

  const perFrame: Json[] = [];
  const bits: Uint8Array[] = [];
  const covered = new Map<string, Uint8Array>(); // per source frame: pixels any earlier segment set (for Segments Overlap)
  let overlap = false;
  segments.forEach((seg, s) => {
    const masks = [...seg.masks].filter((m) => m.mask.some((v) => v !== 0))
      .sort((a, b) => indexOf.get(key(a.image.sopInstanceUID, a.image.frame))! - indexOf.get(key(b.image.sopInstanceUID, b.image.frame))!);
    for (const m of masks) {
      const source = bySop.get(m.image.sopInstanceUID)!, h = source.header, k = key(h.sopInstanceUID, m.image.frame);
      const union = covered.get(k) ?? new Uint8Array(rows * columns);
      for (let i = 0; i < union.length; i++) if (m.mask[i]) { if (union[i]) overlap = true; union[i] = 1; }
      covered.set(k, union);
      bits.push(m.mask);
      const g = frameGeometry(source, m.image.frame);
      perFrame.push({
        DerivationImageSequence: {
          SourceImageSequence: {
            ReferencedSOPClassUID: h.sopClassUID, ReferencedSOPInstanceUID: h.sopInstanceUID,
            ...(h.frames > 1 ? { ReferencedFrameNumber: m.image.frame + 1 } : {}),
            PurposeOfReferenceCodeSequence: CODE.sourceImageForImageProcessing,
          },
          DerivationCodeSequence: CODE.segmentation,
        },
        FrameContentSequence: { DimensionIndexValues: geometric ? [s + 1, indexOf.get(k)!] : [s + 1] },
        ...(geometric ? { PlanePositionSequence: { ImagePositionPatient: [...g.position!] } } : {}),
        ...(geometric && !sameOrientation ? { PlaneOrientationSequence: { ImageOrientationPatient: [...g.orientation!] } } : {}),
        SegmentIdentificationSequence: { ReferencedSegmentNumber: s + 1 },
      });
    }
  });
  if (!perFrame.length) throw new Error('writeSeg: no segment has any pixel set');

  // Frames back to back, then packed as one bit stream: a frame need not start on a byte (PS3.5 8.1.1).
  const all = new Uint8Array(bits.length * rows * columns);
  bits.forEach((m, i) => all.set(m, i * rows * columns));
  const packed = BitArray.pack(all);
  const pixelData = new Uint8Array(packed.length + (packed.length % 2)); // even length (PS3.5 7.1.1)
  pixelData.set(packed);

  const h0 = first.header;
  const dimensionUid = DicomMetaDictionary.uid();
  const shared: Json = {};
  if (geometric) {
    shared.PixelMeasuresSequence = { PixelSpacing: [...h0.pixelSpacing!], ...(h0.sliceThickness ? { SliceThickness: h0.sliceThickness } : {}) };
    if (sameOrientation) shared.PlaneOrientationSequence = { ImageOrientationPatient: [...h0.imageOrientationPatient!] };
  }
  const referenced = [...new Set(used.map((u) => u.source))]; // the Common Instance Reference lists what frames derive from
  const series = [...new Set(referenced.map((s) => s.header.seriesInstanceUID))];
  const now = options.now ?? new Date();
  const sopInstanceUID = options.sopInstanceUID ?? DicomMetaDictionary.uid();
  const version = options.softwareVersions ?? '1';
  const dataset: Json = {
    _vrMap: { PixelData: 'OB' },
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'PRIMARY'],
    SOPClassUID: SEGMENTATION,
    SOPInstanceUID: sopInstanceUID,
    ...patientStudyOf(first),
    SeriesDate: da(now), SeriesTime: tm(now), ContentDate: da(now), ContentTime: tm(now),
    Modality: 'SEG',
    SeriesInstanceUID: options.seriesInstanceUID ?? DicomMetaDictionary.uid(),
    SeriesNumber: String(options.seriesNumber ?? 98),
    SeriesDescription: (options.seriesDescription ?? 'Lucid segmentation (not for diagnosis)').slice(0, 64),
    InstanceNumber: '1',
    // General and Enhanced General Equipment (PS3.3 C.7.5.2: all Type 1 in a SEG)
    Manufacturer: 'Lucid', ManufacturerModelName: 'Lucid', DeviceSerialNumber: '1', SoftwareVersions: version,
    ...(geometric ? { FrameOfReferenceUID: forUid, PositionReferenceIndicator: '' } : {}),
    ContentLabel: options.contentLabel ?? 'SEGMENTATION',
    ContentDescription: '',
    ContentCreatorName: options.contentCreatorName ?? '',
    SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', Rows: rows, Columns: columns,
    BitsAllocated: 1, BitsStored: 1, HighBit: 0, PixelRepresentation: 0, LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentsOverlap: overlap ? 'YES' : 'NO',
    SegmentSequence: segments.map((seg, i) => segmentItem(seg, i + 1)),
    NumberOfFrames: String(perFrame.length),
    DimensionOrganizationSequence: { DimensionOrganizationUID: dimensionUid },
    DimensionIndexSequence: [
      // Referenced Segment Number (0062,000B) in Segment Identification (0062,000A); Image Position (0020,0032) in Plane Position (0020,9113)
      { DimensionOrganizationUID: dimensionUid, DimensionIndexPointer: 0x0062000b, FunctionalGroupPointer: 0x0062000a, DimensionDescriptionLabel: 'ReferencedSegmentNumber' },
      ...(geometric ? [{ DimensionOrganizationUID: dimensionUid, DimensionIndexPointer: 0x00200032, FunctionalGroupPointer: 0x00209113, DimensionDescriptionLabel: 'ImagePositionPatient' }] : []),
    ],
    SharedFunctionalGroupsSequence: shared,
    PerFrameFunctionalGroupsSequence: perFrame,
    ReferencedSeriesSequence: series.map((uid) => ({
      SeriesInstanceUID: uid,
      ReferencedInstanceSequence: referenced.filter((s) => s.header.seriesInstanceUID === uid)
        .map((s) => ({ ReferencedSOPClassUID: s.header.sopClassUID, ReferencedSOPInstanceUID: s.header.sopInstanceUID })),
    })),
    PixelData: pixelData.buffer,
  };
  return part10(dataset, SEGMENTATION, sopInstanceUID);
}
