// A screened series as the two DICOM objects stored back to a PACS or exported: the anomaly SR (a group per region
// above the threshold, strongest first; src/dicom/writeAnomalySr) and the binary SEG of the pixels at or above it
// (src/dicom/writeSeg). One place for both the app (decode worker) and the CLI (`lucid screen --push`), so they write
// the same objects with the same series descriptions. Thread-neutral, pure but for new UIDs.
import { writeAnomalyReport, type AnomalyRegion, type ScreeningAlgorithm } from './writeAnomalySr';
import { anomalySegment, writeSeg } from './writeSeg';
import type { SrSource } from './writeSr';

/** One screened frame: its source instance, score map (rows × columns, as the source) and regions at the threshold. */
export interface ScreenedFrame {
  source: SrSource;
  frame: number;
  scores: Float32Array;
  regions: Pick<AnomalyRegion, 'box' | 'score'>[];
}

const imageOf = (f: ScreenedFrame) => ({ sopInstanceUID: f.source.header.sopInstanceUID, frame: f.frame });

/** The SR of every region of the series, strongest first. */
export function writeScreeningSr(algorithm: ScreeningAlgorithm, frames: ScreenedFrame[]): Uint8Array {
  const sources = new Map(frames.map((f) => [f.source.header.sopInstanceUID, f.source]));
  const regions: AnomalyRegion[] = frames.flatMap((f) => f.regions.map((r) => ({ image: imageOf(f), box: r.box, score: r.score }))).sort((a, b) => b.score - a.score);
  return writeAnomalyReport(regions, sources, algorithm, { seriesDescription: `Lucid ${algorithm.modelId} findings` });
}

/** The SEG of the pixels at or above the threshold, frames with none left out; null when no pixel reaches it. */
export function writeScreeningSeg(algorithm: ScreeningAlgorithm, frames: ScreenedFrame[]): Uint8Array | null {
  const above = frames.filter((f) => f.scores.some((v) => v >= algorithm.threshold));
  if (!above.length) return null;
  const sources = [...new Map(frames.map((f) => [f.source.header.sopInstanceUID, f.source])).values()];
  return writeSeg(sources, [anomalySegment(algorithm, above.map((f) => ({ image: imageOf(f), scores: f.scores })))], {
    seriesDescription: `Lucid ${algorithm.modelId} regions`, contentLabel: 'ANOMALY', softwareVersions: algorithm.version,
  });
}
