// Progress as files: export mine, import mine (another device), and the educator's group view of several learners'
// files. Presentational.
interface Props {
  onExport: () => void;
  onImport: (f: File) => void;
  onOpenGroup: (files: File[]) => void;
  status: string | null;
  error: { name: string; message: string } | null;
}

export function ProgressFilesPanel({ onExport, onImport, onOpenGroup, status, error }: Props) {
  return (
    <section className="panel" aria-label="Progress files" data-testid="progress-files">
      <h3>Progress files</h3>
      <div className="row">
        <button onClick={onExport} data-testid="export-progress">Export my progress</button>
        <label className="button">Import my progress<input type="file" hidden accept=".gz,.json,application/gzip,application/json" data-testid="import-progress"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) onImport(f); }} /></label>
        <label className="button" title="Educators: open several learners' exported files to compare them (nothing is stored or sent)">Group view…<input type="file" multiple hidden
          accept=".gz,.json,application/gzip,application/json" data-testid="open-group"
          onChange={(e) => { const fs = [...(e.target.files ?? [])]; e.target.value = ''; if (fs.length) onOpenGroup(fs); }} /></label>
      </div>
      {status && <p className="muted small" role="status">{status}</p>}
      {error && <p className="error small" role="alert" data-testid="progress-error">{error.name}: {error.message}</p>}
    </section>
  );
}
