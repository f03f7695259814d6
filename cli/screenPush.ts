// `lucid screen … --push`: what the screening found in each series becomes one anomaly SR (TID 1500: a group per region
// above the threshold with its score, and the model's name, version and sha256; src/dicom/writeAnomalySr) and one
// binary SEG of the pixels at or above the threshold (src/dicom/writeSeg), stored back to the server the images came
// from. Identity is kept: the objects copy their source's patient and study, so the PACS files them with the study.
// Node only.
import { MODEL_CATALOG } from '../models/catalog';
import type { ParsedInstance } from '../src/dicom/parseInstance';
import { screeningAlgorithm, writeAnomalyReport, type AnomalyRegion, type ScreeningAlgorithm } from '../src/dicom/writeAnomalySr';
import { anomalySegment, writeSeg } from '../src/dicom/writeSeg';
import type { SrSource } from '../src/dicom/writeSr';
import { toErrorInfo } from '../src/shared/errors';
import type { ScreenResult } from '../workers/inference/inferenceApi';
import type { StowQueue } from './push';

interface ScreenedSeries {
  algorithm: ScreeningAlgorithm;
  sources: Map<string, SrSource>;
  regions: AnomalyRegion[];
  /** Score maps of the frames with any pixel at or above the threshold (the only ones the SEG stores). */
  aboveThreshold: { image: { sopInstanceUID: string; frame: number }; scores: Float32Array }[];
}

/** Collects screened frames by series (`add`), then writes and queues one SR and one SEG per series (`store`). */
export function screenedSeries() {
  const bySeries = new Map<string, ScreenedSeries>();
  return {
    add(parsed: ParsedInstance, frame: number, r: ScreenResult): void {
      const h = parsed.header;
      let s = bySeries.get(h.seriesInstanceUID);
      if (!s) bySeries.set(h.seriesInstanceUID, s = { algorithm: screeningAlgorithm(MODEL_CATALOG.anomaly, r.threshold, r.reference), sources: new Map(), regions: [], aboveThreshold: [] });
      const image = { sopInstanceUID: h.sopInstanceUID, frame };
      s.sources.set(h.sopInstanceUID, { header: h, dataSet: parsed.dataSet });
      s.regions.push(...r.boxes.map((box) => ({ image, box, score: box.score })));
      if (r.maxScore >= r.threshold) s.aboveThreshold.push({ image, scores: r.scores });
    },

    /** Queues each series' SR and SEG (a SEG only where some pixel reached the threshold); returns how many failed to be written. */
    async store(queue: StowQueue, log: (line: string) => void): Promise<number> {
      let failed = 0;
      for (const [series, s] of bySeries) {
        const write = async (object: 'SR' | 'SEG', make: () => Uint8Array) => {
          try {
            await queue.add(make(), { object, sourceSeriesInstanceUID: series, ...(object === 'SR' ? { regions: s.regions.length } : {}) });
          } catch (e) {
            failed++;
            log(JSON.stringify({ object, sourceSeriesInstanceUID: series, ok: false, error: toErrorInfo(e) }));
          }
        };
        const regions = [...s.regions].sort((a, b) => b.score - a.score);
        // Series descriptions as the app's "Send to PACS" writes them (workers/decodeApi.ts screeningObjects).
        await write('SR', () => writeAnomalyReport(regions, s.sources, s.algorithm, { seriesDescription: `Lucid ${s.algorithm.modelId} findings` }));
        if (s.aboveThreshold.length) await write('SEG', () => writeSeg([...s.sources.values()], [anomalySegment(s.algorithm, s.aboveThreshold)], {
          seriesDescription: `Lucid ${s.algorithm.modelId} regions`, contentLabel: 'ANOMALY', softwareVersions: s.algorithm.version,
        }));
        else log(JSON.stringify({ object: 'SEG', sourceSeriesInstanceUID: series, ok: true, skipped: 'no pixel at or above the threshold, so there is nothing to segment' }));
      }
      await queue.flush();
      return failed;
    },
  };
}
