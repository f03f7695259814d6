// Anomaly screening results of a series → a TID 1500 Imaging Measurement Report (PS3.16) in a Comprehensive SR, through
// the same shell as the annotation report (writeSr.ts): one measurement group per region above the threshold, with
//   Finding = SCT 263654008 "Abnormal"; a NUM "Score" (SCT 246262008, UCUM "{score}") INFERRED FROM a closed POLYLINE
//   around the region on its image (SELECTED FROM the IMAGE); what the score means as a Comment; and the algorithm per
//   TID 4019 (family "Artificial Intelligence", name, version, parameters: the ONNX file's sha256, threshold, reference).
// The observer is the model, as a device (TID 1002 Observer Type = Device, TID 1004 identifying attributes). Patient and
// study modules are copied from the source (the report belongs with its study); de-identify before sending it
// elsewhere. Why Comprehensive and not Enhanced SR: the content would fit Enhanced SR (no by-reference relationships),
// but TID 1500 readers (OHIF's dcmjs adapter, dcmqi, Slicer) look for it in Comprehensive SR and our annotation report is
// one, so one reader handles both. Thread-neutral, pure but for new UIDs and the clock.
import dcmjs, { type Json } from 'dcmjs';
import type { ModelEntry } from '../../models/catalog';
import { REGION_SCORE_MEANING, type Box } from '../../models/anomaly/postprocess';
import type { ImageRef, Point } from '../teaching/model';
import { CODE, UCUM_SCORE } from './codes';
import type { SrSource } from './srMeasurements';
import { referencedSopOf, writeTid1500, type MeasurementReportOptions, type MeasuredImage } from './writeSr';
import { formatDS } from './writeDicom';

const { TID300 } = dcmjs.utilities;

/** The model that screened the series, and how its output was cut into regions. */
export interface ScreeningAlgorithm {
  modelId: string;
  title: string;
  version: string;
  /** sha256 of the ONNX file (hex), as the catalogue records it (models/<id>/model.json). */
  sha256: string;
  /** Score-map threshold the regions were found at (the model's score, 0–1). */
  threshold: number;
  /** What a region's peak is divided by to give its score (the modality's default threshold: see REGION_SCORE_MEANING). */
  reference: number;
  /** One sentence: what a region score means (it is not a probability). */
  scoreMeaning: string;
}

/** One region above the threshold: its image, its box (inclusive source-pixel rows and columns) and its score. */
export interface AnomalyRegion {
  image: Pick<ImageRef, 'sopInstanceUID' | 'frame'>;
  box: Pick<Box, 'rowMin' | 'rowMax' | 'columnMin' | 'columnMax'>;
  score: number;
}

export interface AnomalyReportOptions extends MeasurementReportOptions {
  /** General Equipment Software Versions (0018,1020); default the algorithm's version. */
  softwareVersions?: string;
}

/**
 * The catalogue's facts about a screening model as a ScreeningAlgorithm. The catalogue has no version number: the
 * ONNX file's sha256 is what identifies a build, so the version is "sha256:" and its first 16 hex digits.
 */
export function screeningAlgorithm(model: Pick<ModelEntry, 'id' | 'title' | 'sha256'>, threshold: number, reference: number): ScreeningAlgorithm {
  return {
    modelId: model.id, title: model.title, version: `sha256:${model.sha256.slice(0, 16)}`, sha256: model.sha256,
    threshold, reference, scoreMeaning: REGION_SCORE_MEANING,
  };
}

/**
 * A stable Device Observer UID per model file: "2.25." + a UUID (RFC 9562 version 8, custom) made of the sha256's first
 * 128 bits, so every report from the same ONNX file names the same device, and a new build a new one.
 */
export function deviceObserverUid(sha256: string): string {
  const hex = sha256.slice(0, 32).split('');
  hex[12] = '8'; // version 8
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16); // variant 10xx
  return `2.25.${BigInt(`0x${hex.join('')}`).toString(10)}`;
}

const item = (RelationshipType: string, ValueType: string, concept: Json, value: Json): Json => ({ RelationshipType, ValueType, ConceptNameCodeSequence: concept, ...value });
const text = (rel: string, concept: Json, TextValue: string) => item(rel, 'TEXT', concept, { TextValue });

/** TID 1002 Observer Context with a device observer (TID 1004). TID 1004 has no software version row: see Equipment. */
export function deviceObserverContext(a: ScreeningAlgorithm): Json[] {
  const ctx = 'HAS OBS CONTEXT';
  return [
    item(ctx, 'CODE', CODE.observerType, { ConceptCodeSequence: CODE.device }),
    item(ctx, 'UIDREF', CODE.deviceObserverUID, { UID: deviceObserverUid(a.sha256) }),
    text(ctx, CODE.deviceObserverName, `Lucid ${a.modelId}`),
    text(ctx, CODE.deviceObserverManufacturer, 'Lucid'),
    text(ctx, CODE.deviceObserverModelName, a.title),
  ];
}

/** TID 4019 Algorithm Identification, as concept modifiers of the item it qualifies. */
export function algorithmIdentification(a: ScreeningAlgorithm): Json[] {
  const mod = 'HAS CONCEPT MOD';
  return [
    item(mod, 'CODE', CODE.algorithmFamily, { ConceptCodeSequence: CODE.artificialIntelligence }),
    text(mod, CODE.algorithmName, `${a.title} [${a.modelId}]`),
    text(mod, CODE.algorithmVersion, a.version),
    text(mod, CODE.algorithmParameters, `model sha256 ${a.sha256}`),
    text(mod, CODE.algorithmParameters, `threshold ${formatDS(a.threshold)} (model score 0 to 1; a region is 4-connected pixels at or above it)`),
    text(mod, CODE.algorithmParameters, `score reference ${formatDS(a.reference)} (the level regions reach on fewer than one in ten lesion-free validation slices)`),
  ];
}

/** The box's outline as a closed POLYLINE in image coordinates (pixel edges: (0,0) the first pixel's top-left corner). */
function outline(b: AnomalyRegion['box']): Point[] {
  const x0 = b.columnMin, y0 = b.rowMin, x1 = b.columnMax + 1, y1 = b.rowMax + 1;
  return [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }, { x: x0, y: y0 }];
}

type RegionProps = { ReferencedSOPSequence: Json; region: AnomalyRegion; algorithm: ScreeningAlgorithm; trackingIdentifierTextValue: string; finding: Json };

/** One region's TID 1501 group content: dcmjs's tracking and finding items, then the score with its evidence. */
class AnomalyScore extends TID300.TID300Measurement {
  override contentItem(): Json[] {
    const { region, algorithm } = this.props as unknown as RegionProps;
    const points = outline(region.box).flatMap((p) => [p.x, p.y]);
    return this.getMeasurement([{
      ...item('CONTAINS', 'NUM', CODE.score, { MeasuredValueSequence: { MeasurementUnitsCodeSequence: UCUM_SCORE, NumericValue: Number(formatDS(region.score)) } }),
      ContentSequence: [
        ...algorithmIdentification(algorithm),
        text('HAS PROPERTIES', CODE.comment, algorithm.scoreMeaning),
        {
          RelationshipType: 'INFERRED FROM', ValueType: 'SCOORD', GraphicType: 'POLYLINE', GraphicData: points,
          ContentSequence: { RelationshipType: 'SELECTED FROM', ValueType: 'IMAGE', ReferencedSOPSequence: this.ReferencedSOPSequence },
        },
      ],
    }]);
  }
}

/**
 * Part 10 bytes of the screening report of one study: a group per region (highest score first as given), each on an
 * image in `sources`. With no regions the report still says which model screened, at what threshold, and that it found
 * nothing above it (an empty Imaging Measurements container); `sources` then must name at least one screened image.
 */
export function writeAnomalyReport(regions: AnomalyRegion[], sources: Map<string, SrSource>, algorithm: ScreeningAlgorithm, options: AnomalyReportOptions = {}): Uint8Array {
  const measured: MeasuredImage[] = regions.map((region, i) => {
    const source = sources.get(region.image.sopInstanceUID);
    if (!source) throw new Error(`writeAnomalyReport: no header for the image of region ${i + 1} (${region.image.sopInstanceUID})`);
    const props: RegionProps = {
      ReferencedSOPSequence: referencedSopOf(source.header, region.image.frame), region, algorithm,
      trackingIdentifierTextValue: `Anomaly region ${i + 1}`, finding: CODE.abnormal,
    };
    return { measurement: new AnomalyScore(props), source };
  });
  return writeTid1500(measured, {
    sources: [...sources.values()],
    identity: 'copy',
    observerContext: deviceObserverContext(algorithm),
    equipment: { ManufacturerModelName: algorithm.title.slice(0, 64), SoftwareVersions: options.softwareVersions ?? algorithm.version },
    defaultSeriesDescription: `Lucid ${algorithm.modelId} screening (not for diagnosis)`.slice(0, 64),
  }, options);
}
