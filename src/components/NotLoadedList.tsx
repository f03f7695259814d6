// Files that could not be loaded, each with the error name and a plain reason. Text only, never HTML.
import type { Failure } from '../app/useStudies';

export function NotLoadedList({ failures }: { failures: Failure[] }) {
  if (failures.length === 0) return null;
  return (
    <details className="not-loaded" open data-testid="not-loaded">
      <summary>Not loaded ({failures.length})</summary>
      <ul>
        {failures.map((f, i) => (
          <li key={i} data-testid="not-loaded-item">
            <span className="path">{f.path}</span>
            <span className="error-name">{f.error.name}</span>
            <span className="muted small">{f.error.message}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
