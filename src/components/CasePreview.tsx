// A case as a trainee first sees it: history and question, the images, and nothing of the answer (findings,
// diagnosis, discussion and AI output are not even passed in: asUnknown strips them). Presentational.
import { asUnknown, type Case } from '../teaching/model';

export function CasePreview({ value }: { value: Case }) {
  const u = asUnknown(value);
  return (
    <section className="panel case-preview" aria-label="Trainee preview" data-testid="case-preview">
      <h2>Unknown case</h2>
      <p className="muted small">As a trainee sees it: findings, diagnosis and discussion are hidden.</p>
      <h3>Clinical history</h3>
      <p data-testid="preview-history">{u.history || '—'}</p>
      <h3>Question</h3>
      <p data-testid="preview-question">{u.question || '—'}</p>
      <p className="muted small">{u.series.length} series · {u.series.reduce((n, s) => n + s.sopInstanceUIDs.length, 0)} images</p>
    </section>
  );
}
