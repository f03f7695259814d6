// Loading progress: files read of files dropped.
export function ProgressBar({ done, total }: { done: number; total: number }) {
  if (total === 0 || done >= total) return null;
  return (
    <div className="progress" data-testid="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="bar" style={{ width: `${(100 * done) / total}%` }} />
      <span>Reading {done} / {total} files…</span>
    </div>
  );
}
