// A synthetic detection-threshold session: 20 trials, each a normal slice of the open study with one generated
// lesion (src/teaching/syntheticCase) whose contrast-to-noise ratio a 2-down-1-up staircase sets (src/teaching/
// staircase); the trainee marks it or answers "nothing seen", and each trial is stored as a synthetic attempt. UI thread.
import { useCallback, useState } from 'react';
import type { Series } from '../dicom/groupSeries';
import type { InstanceHeader, PixelFrame } from '../shared/types';
import { autoWindow } from '../shared/voi';
import { spacingOf } from '../shared/measure';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import { newId, TEACHING_SCHEMA_VERSION, type Finding, type ImageRef } from '../teaching/model';
import type { Attempt, CaseScore, Mark } from '../teaching/practiceModel';
import { makeSyntheticLesion, syntheticFinding, type SyntheticLesion } from '../teaching/syntheticCase';
import { STAIRCASE_DIAMETER_MM, STAIRCASE_TRIALS, nextStimulus, recordResponse, startStaircase, threshold, type StaircaseState } from '../teaching/staircase';
import { scoreCase } from '../teaching/scoring';
import { derivedImageId, putDerived } from '../viewer/derivedImages';
import type { LucidDb } from '../storage/db';
import { putAttempt } from '../storage/attempts';

export { STAIRCASE_DIAMETER_MM, STAIRCASE_TRIALS } from '../teaching/staircase';

export interface StaircaseTrial { lesion: SyntheticLesion; finding: Finding; imageId: string; image: ImageRef; startedAt: number }

interface Deps {
  db: () => Promise<LucidDb>;
  learnerId: string;
  header: (id: string) => InstanceHeader | undefined;
  decode: (id: string, frame: number) => Promise<PixelFrame>;
  onStored: (a: Attempt) => void;
  /** The series as it is now (it may still be growing while its files load): trials pick from all of it. */
  latest: (seriesInstanceUID: string) => Series | undefined;
}

export function useStaircaseSession({ db, learnerId, header, decode, onStored, latest }: Deps) {
  const [series, setSeries] = useState<Series | null>(null);
  const [state, setState] = useState<StaircaseState | null>(null);
  const [trial, setTrial] = useState<StaircaseTrial | null>(null);
  const [result, setResult] = useState<{ score: CaseScore; detected: boolean } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // `?seed=N` in the page URL repeats a session exactly (same slices, same lesion places): for teaching a group the same
  // trials, and for tests. Otherwise random.
  const [seed] = useState(() => {
    const asked = Number(new URLSearchParams(window.location.search).get('seed'));
    return Number.isSafeInteger(asked) && asked > 0 ? asked : Math.floor(Math.random() * 1e9);
  });

  /** A new trial: a slice from the middle of the series, a lesion at the staircase's current CNR. */
  const makeTrial = useCallback(async (started: Series, st: StaircaseState) => {
    const s = latest(started.seriesInstanceUID) ?? started;
    const n = st.trials.length;
    const pick = s.images[Math.floor(s.images.length * (0.2 + 0.6 * (((seed + n * 7919) % 1000) / 1000)))] ?? s.images[0]!;
    const h = header(pick.instanceId);
    if (!h) throw new Error('The slice is no longer open');
    const frame = await decode(pick.instanceId, pick.frame);
    const values = Float32Array.from(frame.data as ArrayLike<number>, (v) => v * h.rescaleSlope + h.rescaleIntercept);
    const modality = h.modality === 'MR' ? 'MR' : 'CT';
    const lesion = makeSyntheticLesion({
      values, rows: frame.rows, columns: frame.columns, spacingMm: h.pixelSpacing ?? [1, 1], modality,
      seed: seed + n, diameterMm: STAIRCASE_DIAMETER_MM, cnr: nextStimulus(st),
    });
    const key = `synthetic|${seed}|${n}`;
    const window = modality === 'CT' ? { center: 40, width: 400 } : autoWindow(lesion.values, 1, 0, 4);
    putDerived(key, { values: lesion.values, rows: frame.rows, columns: frame.columns, pixelSpacing: h.pixelSpacing, window });
    // The trial's image has UIDs of its own: it is not the acquired slice (and is never exported as one).
    const image: ImageRef = { studyInstanceUID: 'synthetic', seriesInstanceUID: `synthetic-${seed}`, sopInstanceUID: key, frame: 0 };
    setTrial({ lesion, finding: syntheticFinding(lesion, image), imageId: derivedImageId(key), image, startedAt: Date.now() });
    setResult(null);
  }, [decode, header, seed, latest]);

  const start = useCallback(async (s: Series) => {
    try {
      const st = startStaircase();
      setSeries(s); setState(st); setError(null);
      await makeTrial(s, st);
    } catch (e) { setError(toErrorInfo(e)); }
  }, [makeTrial]);

  /** Scores the marks against the generated key; detected = the lesion was hit. Stores the trial. */
  const answer = useCallback(async (marks: Mark[]) => {
    if (!trial || !state || result) return;
    const spacing = spacingOf(header(series?.images[0]?.instanceId ?? '')?.pixelSpacing);
    const score = scoreCase([trial.finding], marks, () => spacing, 1);
    const detected = score.truePositives > 0;
    setResult({ score, detected });
    setState(recordResponse(state, detected));
    const attempt: Attempt = {
      id: newId(), schemaVersion: TEACHING_SCHEMA_VERSION, learnerId, caseId: `synthetic:${trial.lesion.modality}`, setId: null, synthetic: true,
      startedAt: trial.startedAt, submittedAt: Date.now(), marks, score,
      facets: { modality: trial.lesion.modality, labels: [trial.finding.label], difficulty: trial.finding.difficulty, anatomy: 'synthetic' },
      stimulus: trial.lesion.stimulus,
    };
    try { await putAttempt(await db(), attempt); onStored(attempt); } catch (e) { setError(toErrorInfo(e)); }
  }, [trial, state, result, header, series, learnerId, db, onStored]);

  const next = useCallback(async () => {
    if (!series || !state) return;
    if (state.trials.length >= STAIRCASE_TRIALS) { setTrial(null); return; }
    try { await makeTrial(series, state); } catch (e) { setError(toErrorInfo(e)); }
  }, [series, state, makeTrial]);

  return {
    series, trial, result, error, start, answer, next, stop: () => { setState(null); setTrial(null); setSeries(null); },
    done: state !== null && state.trials.length >= STAIRCASE_TRIALS && !trial,
    trialsDone: state?.trials.length ?? 0, threshold: state ? threshold(state) : null, level: state ? nextStimulus(state) : null,
  };
}
