// Series list with thumbnails, description, modality and image count. Presentational: props in, callbacks out.
import type { ReactNode } from 'react';
import type { Series, Study } from '../dicom/groupSeries';
import { maskIdentity } from '../shared/maskIdentity';

interface Props {
  studies: Study[];
  activeKey: string | null;
  teachingSafe: boolean;
  onSelect: (key: string) => void;
  thumbnail: (series: Series) => ReactNode;
}

export function seriesKey(s: Series): string {
  return `${s.studyInstanceUID}|${s.seriesInstanceUID}`;
}

export function SeriesBrowser({ studies, activeKey, teachingSafe, onSelect, thumbnail }: Props) {
  if (studies.length === 0) return <p className="muted">No studies loaded yet.</p>;
  return (
    <div className="series-browser" data-testid="series-browser">
      {studies.map((study) => (
        <section key={study.studyInstanceUID} className="study">
          <h3 title={study.studyInstanceUID}>{(teachingSafe ? maskIdentity(study.description, study) : study.description) || 'Study'} {study.date && <span className="muted">{study.date}</span>}</h3>
          <div className="muted small">{teachingSafe ? 'Patient hidden (teaching-safe)' : `${study.patientName || '—'} · ${study.patientID || '—'}`}</div>
          <ul>
            {study.series.map((s) => {
              const key = seriesKey(s);
              return (
                <li key={key}>
                  <button className={`series ${key === activeKey ? 'active' : ''}`} onClick={() => onSelect(key)} data-testid="series-item" aria-pressed={key === activeKey}>
                    {thumbnail(s)}
                    <span className="series-text">
                      <span className="series-desc">{(teachingSafe ? maskIdentity(s.description, study) : s.description) || `Series ${s.seriesNumber ?? ''}`}</span>
                      <span className="muted small">{s.modality || '—'} · <span data-testid="series-count">{s.images.length}</span> image{s.images.length === 1 ? '' : 's'}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
