// Loading progress: files read of files opened, and which large file is being read (so a user sees why it is slow).
import { formatBytes } from '../teaching/packet/format';

export function ProgressBar({ done, total, large = [] }: { done: number; total: number; large?: readonly { name: string; bytes: number }[] }) {
  if (total === 0 || done >= total) return null;
  const now = large[0], left = total - done;
  return (
    <>
      <div className="progress" data-testid="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="bar" style={{ width: `${(100 * done) / total}%` }} />
        <span>Reading {done} / {total} files…</span>
      </div>
      {now && (
        <p className="muted small" data-testid="progress-large" aria-live="polite">
          Reading {now.name} ({formatBytes(now.bytes)})… {left} {left === 1 ? 'file' : 'files'} left
        </p>
      )}
    </>
  );
}
