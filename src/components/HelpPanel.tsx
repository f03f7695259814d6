// Keyboard shortcuts and mouse bindings. Presentational.
export const SHORTCUTS: readonly [string, string][] = [
  ['↑ / ↓, mouse wheel', 'Previous / next slice'],
  ['Page Up / Page Down', 'Back / forward 10 slices'],
  ['Home / End', 'First / last slice'],
  ['Space', 'Play / stop cine'],
  ['1 – 6', 'CT presets: brain, subdural, lung, mediastinum, abdomen, bone'],
  ['0', 'Auto window (MR auto)'],
  ['I', 'Invert'],
  ['R', 'Reset view'],
  ['F', 'Fit to window'],
  ['T', 'Teaching-safe on / off'],
  ['? or H', 'This help'],
  ['Left drag', 'Window / level'],
  ['Middle drag', 'Pan'],
  ['Right drag', 'Zoom'],
];

export function HelpPanel({ onClose }: { onClose: () => void }) {
  return (
    <div className="help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, v]) => <tr key={k}><th>{k}</th><td>{v}</td></tr>)}
        </tbody>
      </table>
      <button onClick={onClose}>Close</button>
    </div>
  );
}
