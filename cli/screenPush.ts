// `lucid screen … --push`: what the screening found in each series becomes one anomaly SR (TID 1500: a group per region
// above the threshold with its score, and the model's name, version and sha256; src/dicom/writeAnomalySr) and one
// binary SEG of the pixels at or above the threshold (src/dicom/writeSeg), stored back to the server the images came
// from. Identity is kept: the objects copy their source's patient and study, so the PACS files them with the study.
// Node only.
import { MODEL_CATALOG } from '../models/catalog';
import type { ParsedInstance } from '../src/dicom/parseInstance';
import { screeningAlgorithm, type ScreeningAlgorithm } from '../src/dicom/writeAnomalySr';
import { writeScreeningSeg, writeScreeningSr, type ScreenedFrame } from '../src/dicom/screeningObjects';
import { toErrorInfo } from '../src/shared/errors';
import type { ScreenResult } from '../workers/inference/inferenceApi';
import type { StowQueue } from './push';
import { newUid } from '../src/dicom/writeDerived';
import type { UidMaker } from './enhance';

interface ScreenedSeries {
  algorithm: ScreeningAlgorithm;
  frames: ScreenedFrame[];
}

/** Collects screened frames by series (`add`), then writes and queues one SR and one SEG per series (`store`). */
export function screenedSeries(uid: UidMaker = newUid) {
  const bySeries = new Map<string, ScreenedSeries>();
  return {
    add(parsed: ParsedInstance, frame: number, r: ScreenResult): void {
      const h = parsed.header;
      let s = bySeries.get(h.seriesInstanceUID);
      if (!s) bySeries.set(h.seriesInstanceUID, s = { algorithm: screeningAlgorithm(MODEL_CATALOG.anomaly, r.threshold, r.reference), frames: [] });
      s.frames.push({ source: { header: h, dataSet: parsed.dataSet }, frame, scores: r.scores, regions: r.boxes.map((box) => ({ box, score: box.score })) });
    },

    /** Queues each series' SR and SEG (a SEG only where some pixel reached the threshold); returns how many failed to be written. */
    async store(queue: StowQueue, log: (line: string) => void): Promise<number> {
      let failed = 0;
      for (const [series, s] of bySeries) {
        const write = async (object: 'SR' | 'SEG', make: () => Uint8Array) => {
          try {
            await queue.add(make(), { object, sourceSeriesInstanceUID: series, ...(object === 'SR' ? { regions: s.frames.reduce((n, f) => n + f.regions.length, 0) } : {}) });
          } catch (e) {
            failed++;
            log(JSON.stringify({ object, sourceSeriesInstanceUID: series, ok: false, error: toErrorInfo(e) }));
          }
        };
        const uids = (object: string) => ({ seriesInstanceUID: uid(`${object} series|${series}`), sopInstanceUID: uid(`${object}|${series}`) });
        await write('SR', () => writeScreeningSr(s.algorithm, s.frames, uids('SR')));
        const seg = writeScreeningSeg(s.algorithm, s.frames, uids('SEG'));
        if (seg) await write('SEG', () => seg);
        else log(JSON.stringify({ object: 'SEG', sourceSeriesInstanceUID: series, ok: true, skipped: 'no pixel at or above the threshold, so there is nothing to segment' }));
      }
      await queue.flush();
      return failed;
    },
  };
}
