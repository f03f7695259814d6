// A screened series as the two DICOM objects stored back to a PACS or exported: the anomaly SR (a group per region
// above the threshold, strongest first; src/dicom/writeAnomalySr) and the binary SEG of the pixels at or above it
// (src/dicom/writeSeg). One place for both the app (decode worker) and the CLI (`lucid screen --push`), so they write
// the same objects with the same series descriptions; and a teaching case's key as the same pair. Thread-neutral, pure
// but for new UIDs.
import { writeAnomalyReport, type AnomalyRegion, type ScreeningAlgorithm } from './writeAnomalySr';
import { anomalySegment, findingSegments, writeSeg } from './writeSeg';
import { writeMeasurementReport, type NewSeriesOptions, type SrSource } from './writeSr';
import { findingAsAnnotation } from './srMeasurements';
import type { Finding } from '../teaching/model';

/** One screened frame: its source instance, score map (rows × columns, as the source) and regions at the threshold. */
export interface ScreenedFrame {
  source: SrSource;
  frame: number;
  scores: Float32Array;
  regions: Pick<AnomalyRegion, 'box' | 'score'>[];
}

const imageOf = (f: ScreenedFrame) => ({ sopInstanceUID: f.source.header.sopInstanceUID, frame: f.frame });

/** The UIDs of a written object, when the caller decides them (else new ones). */
type ObjectUids = Pick<NewSeriesOptions, 'seriesInstanceUID' | 'sopInstanceUID'>;

/** The SR of every region of the series, strongest first. */
export function writeScreeningSr(algorithm: ScreeningAlgorithm, frames: ScreenedFrame[], uids: ObjectUids = {}): Uint8Array {
  const sources = new Map(frames.map((f) => [f.source.header.sopInstanceUID, f.source]));
  const regions: AnomalyRegion[] = frames.flatMap((f) => f.regions.map((r) => ({ image: imageOf(f), box: r.box, score: r.score }))).sort((a, b) => b.score - a.score);
  return writeAnomalyReport(regions, sources, algorithm, { seriesDescription: `Lucid ${algorithm.modelId} findings`, ...uids });
}

/** The SEG of the pixels at or above the threshold, frames with none left out; null when no pixel reaches it. */
export function writeScreeningSeg(algorithm: ScreeningAlgorithm, frames: ScreenedFrame[], uids: ObjectUids = {}): Uint8Array | null {
  const above = frames.filter((f) => f.scores.some((v) => v >= algorithm.threshold));
  if (!above.length) return null;
  const sources = [...new Map(frames.map((f) => [f.source.header.sopInstanceUID, f.source])).values()];
  return writeSeg(sources, [anomalySegment(algorithm, above.map((f) => ({ image: imageOf(f), scores: f.scores })))], {
    seriesDescription: `Lucid ${algorithm.modelId} regions`, contentLabel: 'ANOMALY', softwareVersions: algorithm.version, ...uids,
  });
}

/**
 * A teaching case's key as the same pair: an SR of its findings (TID 1500 via the measurement path: each finding's
 * label, region and explanation) and a SEG with one MANUAL segment per finding that has an area (null when none has).
 * `identity: 'copy'` keeps the sources' patient (storing back into the same PACS).
 */
export function writeTeachingKey(findings: readonly Finding[], sources: ReadonlyMap<string, SrSource>, identity: 'copy' | 'deidentified-only'): { sr: Uint8Array; seg: Uint8Array | null } {
  const sr = writeMeasurementReport(findings.map(findingAsAnnotation), new Map(sources), { identity, seriesDescription: 'Lucid teaching key' });
  const segments = findingSegments(findings, sources);
  const used = [...new Map(findings.map((f) => [f.image.sopInstanceUID, sources.get(f.image.sopInstanceUID)!])).values()];
  return { sr, seg: segments.length ? writeSeg(used, segments, { seriesDescription: 'Lucid teaching key regions', contentLabel: 'TEACHING_KEY' }) : null };
}
