// Files that could not be loaded: each with a sentence about the file, the error name, and the technical detail
// folded away. Text only, never HTML.
import type { Failure } from '../app/useStudies';
import { describeFileError } from '../shared/fileErrorText';

export function NotLoadedList({ failures }: { failures: Failure[] }) {
  if (failures.length === 0) return null;
  return (
    <details className="not-loaded" open data-testid="not-loaded">
      <summary>Not loaded ({failures.length})</summary>
      <ul>
        {failures.map((f, i) => {
          const { sentence, detail } = describeFileError(f.error);
          return (
            <li key={i} data-testid="not-loaded-item">
              <span className="path">{f.path}</span>
              <span className="sentence" data-testid="not-loaded-sentence">{sentence}</span>
              <details className="error-detail">
                <summary><span className="error-name">{f.error.name}</span></summary>
                <span className="muted small">{detail}</span>
              </details>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
