// Running models from the viewer: one slice or a whole series in the background, with progress (slices and tiles),
// cancel, the backend in use, and typed errors that leave the app working. Results: enhanced slices and difference
// maps go to the derived-image store (cornerstone loads them); anomaly results stay here by image id, the most recently
// used within SCREEN_CACHE_BYTES (older slices are screened again when asked for). UI thread;
// React state holds statuses and a version counter, never pixels (DESIGN invariant 2).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createInferenceClient, type InferenceClient } from '../inference/inferenceClient';
import type { RuntimeInfo, ScreenResult } from '../../workers/inference/inferenceApi';
import { putDerived, derivedImageId, getDerived } from '../viewer/derivedImages';
import { parseImageId } from '../viewer/cornerstoneSetup';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { InstanceHeader, PixelFrame } from '../shared/types';
import type { EnhanceModelId, ModelId } from '../../models/catalog';
import { createLruCache } from '../inference/lruCache';

/** A model to run (models/catalog.ts); the enhancement models make images, the others score maps. */
export type Task = ModelId;
export type Enhancement = EnhanceModelId;

export interface RunProgress { task: Task; slicesDone: number; slicesTotal: number; tilesDone: number; tilesTotal: number }

/** Score maps kept on this thread: 256 MiB is 256 slices of 512 × 512 (float32), several series' worth. */
export const SCREEN_CACHE_BYTES = 256 * 2 ** 20;

export const enhancedKey = (task: Enhancement, imageId: string) => `${task}|${imageId}`;
export const differenceKey = (task: Enhancement, imageId: string) => `diff|${task}|${imageId}`;

interface Deps {
  header: (instanceId: string) => InstanceHeader | undefined;
  decode: (instanceId: string, frame: number) => Promise<PixelFrame>;
  client?: InferenceClient;
}

export function useInference({ header, decode, client: given }: Deps) {
  const client = useMemo(() => given ?? createInferenceClient(), [given]);
  const [info, setInfo] = useState<RuntimeInfo | null>(null);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [version, setVersion] = useState(0);
  /** The model being loaded and warmed ahead of a run, if any. */
  const [preparing, setPreparing] = useState<Task | null>(null);
  const [screens] = useState(() => createLruCache<string, ScreenResult>(SCREEN_CACHE_BYTES, (r) => r.scores.byteLength));
  const run = useRef(0);

  useEffect(() => () => client.dispose(), [client]);

  const refreshInfo = useCallback(() => client.info().then(setInfo, () => undefined), [client]);

  const has = useCallback((task: Task, imageId: string) =>
    task === 'anomaly' ? screens.has(imageId) : !!getDerived(enhancedKey(task, imageId)), [screens]);

  /** Runs `task` on each image not done yet, in order; resolves when done, cancelled or failed. */
  const start = useCallback(async (task: Task, imageIds: string[]) => {
    const token = ++run.current;
    const todo = imageIds.filter((id) => !has(task, id));
    setError(null);
    setProgress({ task, slicesDone: imageIds.length - todo.length, slicesTotal: imageIds.length, tilesDone: 0, tilesTotal: 1 });
    const onTile = (done: number, total: number) => {
      if (run.current === token) setProgress((p) => (p ? { ...p, tilesDone: done, tilesTotal: total } : p));
    };
    try {
      for (const imageId of todo) {
        const { instanceId, frame } = parseImageId(imageId);
        const h = header(instanceId);
        if (!h) continue;
        const px = await decode(instanceId, frame);
        if (run.current !== token) return;
        const image = { ...px, rescaleSlope: h.rescaleSlope, rescaleIntercept: h.rescaleIntercept, modality: h.modality, pixelSpacing: h.pixelSpacing };
        let ms: number;
        if (task === 'anomaly') {
          const r = await client.screen(image, undefined, onTile);
          screens.set(imageId, r);
          ms = r.ms;
        } else {
          const r = await client.enhance(task, image, onTile);
          ms = r.ms;
          const f = r.columns / px.columns;
          const spacing = h.pixelSpacing ? [h.pixelSpacing[0] / f, h.pixelSpacing[1] / f] as [number, number] : null;
          const w = { center: h.windowCenter[0] ?? 40, width: h.windowWidth[0] ?? 400 };
          putDerived(enhancedKey(task, imageId), { values: r.values, display: r.display, rows: r.rows, columns: r.columns, pixelSpacing: spacing, window: w, noiseSd: r.noiseSd });
          // Computed in the worker: the UI thread only files results away while a series runs.
          putDerived(differenceKey(task, imageId), { values: r.difference.values, display: r.difference.display, rows: r.rows, columns: r.columns, pixelSpacing: spacing, window: r.difference.window });
        }
        if (run.current !== token) return;
        // The bench (bench/inference.ts) reads per-slice worker times here when it has created the array.
        (globalThis as { __lucidInferenceLog?: { task: Task; ms: number }[] }).__lucidInferenceLog?.push({ task, ms });
        setVersion((v) => v + 1);
        setProgress((p) => (p ? { ...p, slicesDone: p.slicesDone + 1 } : p));
      }
    } catch (e) {
      if (run.current !== token) return;
      const info = toErrorInfo(e);
      if (info.name !== 'InferenceCancelledError') setError(info);
    } finally {
      if (run.current === token) {
        setProgress(null);
        void refreshInfo();
      }
    }
  }, [client, decode, has, header, refreshInfo, screens]);

  /**
   * Loads and warms a model ahead of a run (the person chose it): the model's download, check and session, and the
   * engine's compilation of its kernels, happen before Run rather than during the series. Failures surface on Run.
   */
  const prepare = useCallback((task: Task) => {
    setPreparing(task);
    const done = () => setPreparing((p) => (p === task ? null : p));
    client.prepare(task).then(() => refreshInfo().finally(done), done);
  }, [client, refreshInfo]);

  /** Stops at once: the worker is terminated and restarts on the next run; finished slices are kept. */
  const cancel = useCallback(() => {
    run.current++;
    client.cancel();
    setProgress(null);
  }, [client]);

  // Stable functions and one object per state change, so memos keyed on them (ReviewView's) hit between renders.
  const screen = useCallback((imageId: string) => screens.get(imageId), [screens]);
  const screensOf = useCallback((imageIds: string[]) => imageIds.map((id, index) => ({ index, imageId: id, result: screens.peek(id) })), [screens]);
  return useMemo(() => ({
    info, progress, error, version, start, cancel, prepare, preparing, has, refreshInfo, screen, screensOf,
    enhancedImageId: (task: Enhancement, imageId: string) => (getDerived(enhancedKey(task, imageId)) ? derivedImageId(enhancedKey(task, imageId)) : null),
    differenceImageId: (task: Enhancement, imageId: string) => (getDerived(differenceKey(task, imageId)) ? derivedImageId(differenceKey(task, imageId)) : null),
  }), [info, progress, error, version, start, cancel, prepare, preparing, has, refreshInfo, screen, screensOf]);
}
