// Feedback right after submitting: what was found, missed and marked that is not there (with distances in mm and the
// label), each finding's explanation, the diagnosis and discussion, and how the model did on the same slices.
// Presentational.
import type { Case } from '../teaching/model';
import type { CaseScore } from '../teaching/practiceModel';
import type { AiResult } from '../app/usePractice';

interface Props {
  value: Case;
  score: CaseScore;
  ai: AiResult | null;
  onGoTo: (findingId: string) => void;
  onNext: (() => void) | null;
  saveError: string | null;
}

const fmt = (d: number | null, unit: string) => (d === null ? '—' : `${d.toFixed(1)} ${unit}`);

export function FeedbackPanel({ value: c, score, ai, onGoTo, onNext, saveError }: Props) {
  const byFinding = new Map(score.findings.map((f) => [f.findingId, f]));
  const hitMark = new Map(score.marks.filter((m) => m.findingId).map((m) => [m.findingId!, m]));
  return (
    <section className="panel feedback-panel" aria-label="Feedback" data-testid="feedback-panel">
      <h2>Feedback</h2>
      <p data-testid="feedback-summary">
        Found <strong>{score.truePositives}</strong> of {c.findings.length} · missed <strong>{score.misses}</strong> · false marks <strong>{score.falsePositives}</strong>
        {score.localisationErrorMm !== null && <> · {score.localisationErrorMm.toFixed(1)} mm from the finding's centre</>}
        {score.labelAccuracy !== null && <> · labels right {Math.round(score.labelAccuracy * 100)}%</>}
      </p>
      <ol className="finding-list" data-testid="feedback-findings">
        {c.findings.map((f) => {
          const hit = byFinding.get(f.id)?.markId;
          const m = hitMark.get(f.id);
          return (
            <li key={f.id} className={hit ? 'hit' : 'missed'} data-testid="feedback-finding">
              <button className="link" onClick={() => onGoTo(f.id)}>{hit ? '✓ Found' : '✗ Missed'}: {f.label}</button>
              {m && <span className="muted small"> — {m.labelCorrect ? 'label right' : 'label wrong'}, {m.distance === 0 ? 'inside the region' : `${fmt(m.distance, m.distanceUnit)} outside it, within tolerance`}</span>}
              <p className="small">{f.explanation || 'No explanation given.'}</p>
            </li>
          );
        })}
      </ol>
      {score.falsePositives > 0 && <p className="small" data-testid="feedback-false">{score.falsePositives} mark{score.falsePositives === 1 ? '' : 's'} where the key has nothing (red on the image).</p>}
      <h3>Diagnosis</h3>
      <p data-testid="feedback-diagnosis">{c.diagnosis || '—'}</p>
      {c.discussion && <><h3>Discussion</h3><p className="small">{c.discussion}</p></>}
      <h3>AI on the same case</h3>
      {ai ? (
        <p className="small" data-testid="feedback-ai">
          The anomaly model, on the {ai.slices} slice{ai.slices === 1 ? '' : 's'} it was run on, found {ai.score.truePositives} of {ai.score.truePositives + ai.score.misses} findings there
          with {ai.score.falsePositives} false box{ai.score.falsePositives === 1 ? '' : 'es'} (blue, dashed on the image). It is a screening aid for teaching, not a diagnosis.
        </p>
      ) : <p className="muted small">No model output is attached to this case.</p>}
      {saveError && <p className="error small" role="alert">Not saved to your profile: {saveError}</p>}
      {onNext ? <button className="primary" onClick={onNext} data-testid="next-case">Next case</button> : <p data-testid="practice-done">End of the set.</p>}
    </section>
  );
}
