// A practice session: the cases of a teaching set read as unknowns, one after another. The trainee's marks are
// held here; on submit they are scored against the key (src/teaching/scoring), the model's attached anomaly map is
// scored the same way, and the attempt is stored (src/storage/attempts) in one write. UI thread.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { SCREEN_THRESHOLD, scoreBoxes } from '../../models/anomaly/postprocess';
import { modelModality } from '../../models/shared/normalise';
import { newId, type Case, type ImageRef, type TeachingSet } from '../teaching/model';
import { TEACHING_SCHEMA_VERSION } from '../teaching/model';
import type { Attempt, CaseScore, Confidence, Mark } from '../teaching/practiceModel';
import { scoreCase } from '../teaching/scoring';
import type { Spacing } from '../shared/measure';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { LucidDb } from '../storage/db';
import { casesOfSet } from '../storage/cases';
import { getOutputs } from '../storage/outputs';
import { attemptsOf, putAttempt } from '../storage/attempts';
import { profileOf } from '../teaching/profile';
import { candidateOf, cardsFrom, nextCase } from '../teaching/scheduler';

/** How the model's attached output did on the same case, scored like the trainee (only on the slices it saw). */
export interface AiResult { marks: Mark[]; score: CaseScore; slices: number }

/** ordered: the set's teaching order, once through. adaptive: the scheduler picks each next case, without end. */
export type PracticeOrder = 'ordered' | 'adaptive';
export interface PracticeSession { set: TeachingSet; cases: Case[]; index: number; order: PracticeOrder; answered: number }

const sameImage = (a: ImageRef, b: ImageRef) => a.sopInstanceUID === b.sopInstanceUID && a.frame === b.frame;

/** The model's boxes on each attached anomaly map as marks (confidence 1–5 from the region score: 1 + 4 (1 − e^−score)). */
async function aiMarks(db: LucidDb, c: Case): Promise<{ marks: Mark[]; images: ImageRef[] }> {
  const maps = c.attachments.filter((a) => a.kind === 'anomaly-map');
  const values = await getOutputs(db, maps.map((a) => a.dataKey));
  const modality = c.series.find((s) => maps[0] && s.seriesInstanceUID === maps[0].source.seriesInstanceUID)?.modality ?? '';
  const threshold = SCREEN_THRESHOLD[modelModality(modality)];
  const marks: Mark[] = [];
  for (const a of maps) {
    const o = values.get(a.dataKey);
    if (!o) continue;
    for (const b of scoreBoxes(o.values, o.rows, o.columns, threshold, threshold)) {
      marks.push({
        id: newId(), image: a.source, label: '', confidence: Math.min(5, Math.max(1, Math.round(1 + 4 * (1 - Math.exp(-b.score))))) as Confidence,
        region: { kind: 'box', corners: [{ x: b.columnMin, y: b.rowMin }, { x: b.columnMax + 1, y: b.rowMax + 1 }] },
      });
    }
  }
  return { marks, images: maps.map((a) => a.source) };
}

export function usePractice({ db, learnerId }: { db: () => Promise<LucidDb>; learnerId: string }) {
  const [session, setSession] = useState<PracticeSession | null>(null);
  const [marks, setMarks] = useState<Mark[]>([]);
  const [result, setResult] = useState<{ score: CaseScore; ai: AiResult | null } | null>(null);
  const [startedAt, setStartedAt] = useState(0);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const current = session ? session.cases[session.index] ?? null : null;
  // Every attempt of this learner (the profile), read at start and after each submit.
  const [attempts, setAttempts] = useState<Attempt[]>([]);
  const [attemptsVersion, setAttemptsVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void db().then((d) => attemptsOf(d, learnerId)).then((a) => { if (live) setAttempts(a); }, (e: unknown) => { if (live) setError(toErrorInfo(e)); });
    return () => { live = false; };
  }, [db, learnerId, attemptsVersion]);
  const profile = useMemo(() => profileOf(attempts), [attempts]);

  /** The case the scheduler serves next: due and weak first (ts-fsrs cards replayed from the attempts, the profile). */
  const adaptiveIndex = useCallback((cases: Case[], last: string | undefined, known: Attempt[]) => {
    const pick = nextCase(cases.map(candidateOf), cardsFrom(known), profileOf(known), Date.now(), Math.random, { last });
    return Math.max(0, cases.findIndex((c) => c.id === pick?.caseId));
  }, []);

  const start = useCallback(async (set: TeachingSet, order: PracticeOrder = 'ordered') => {
    try {
      const all = await casesOfSet(await db(), set.id);
      // Only cases a trainee can answer: a question and images.
      const cases = all.filter((c) => c.question.trim() && c.series.length > 0);
      setSession({ set, cases, index: order === 'adaptive' && cases.length ? adaptiveIndex(cases, undefined, attempts) : 0, order, answered: 0 });
      setMarks([]); setResult(null); setStartedAt(Date.now()); setError(null);
    } catch (e) { setError(toErrorInfo(e)); }
  }, [db, adaptiveIndex, attempts]);

  const addMark = useCallback((m: Omit<Mark, 'id' | 'label' | 'confidence'>) => {
    if (result) return; // answers are final once submitted
    setMarks((list) => [...list, { ...m, id: newId(), label: '', confidence: 3 }]);
  }, [result]);
  const updateMark = useCallback((id: string, patch: Partial<Pick<Mark, 'label' | 'confidence' | 'region'>>) => {
    if (!result) setMarks((list) => list.map((m) => (m.id === id ? { ...m, ...patch } as Mark : m)));
  }, [result]);
  const removeMark = useCallback((id: string) => { if (!result) setMarks((list) => list.filter((m) => m.id !== id)); }, [result]);

  /** Scores the marks, scores the AI, stores the attempt. `spacingOf` gives Pixel Spacing by SOP Instance UID. */
  const submit = useCallback(async (spacingOf: (sop: string) => Spacing | null) => {
    if (!session || !current || result) return;
    // Each case counts as one image for false marks per image (FROC's non-lesion fraction).
    const score = scoreCase(current.findings, marks, spacingOf, 1);
    let ai: AiResult | null = null;
    try {
      const d = await db();
      const fromModel = await aiMarks(d, current);
      if (fromModel.images.length) {
        const seen = current.findings.filter((f) => fromModel.images.some((i) => sameImage(i, f.image)));
        ai = { marks: fromModel.marks, score: scoreCase(seen, fromModel.marks, spacingOf, 1), slices: fromModel.images.length };
      }
      const attempt: Attempt = {
        id: newId(), schemaVersion: TEACHING_SCHEMA_VERSION, learnerId, caseId: current.id, setId: session.set.id, synthetic: false,
        startedAt, submittedAt: Date.now(), marks, score,
        facets: candidateOf(current).facets,
      };
      setResult({ score, ai });
      await putAttempt(d, attempt);
      setAttempts((list) => [...list, attempt]);
      setError(null);
    } catch (e) {
      setResult({ score, ai });
      setError(toErrorInfo(e));
    }
  }, [session, current, result, marks, db, learnerId, startedAt]);

  const next = useCallback(() => {
    setSession((s) => (!s ? s : {
      ...s, answered: s.answered + 1,
      index: s.order === 'adaptive' ? adaptiveIndex(s.cases, s.cases[s.index]?.id, attempts) : s.index + 1,
    }));
    setMarks([]); setResult(null); setStartedAt(Date.now());
  }, [adaptiveIndex, attempts]);

  return { session, current, marks, profile, attempts, reloadAttempts: () => setAttemptsVersion((v) => v + 1), result, error, start, addMark, updateMark, removeMark, submit, next, stop: () => setSession(null) };
}
