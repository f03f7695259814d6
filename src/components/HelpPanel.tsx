// Keyboard shortcuts and mouse bindings. Presentational.
import { Modal } from './Modal';
import { MEASURE_TOOLS, POINTER_KEY } from './ToolPicker';

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
  ...MEASURE_TOOLS.map((t): [string, string] => [t.key.toUpperCase(), `${t.name} tool (again: back to window / level)`]),
  [POINTER_KEY.toUpperCase(), 'Window / level on the left button'],
  ['Enter', 'Place the chosen measurement at the centre of the view'],
  ['Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y', 'Undo / redo a measurement change'],
  ['Delete', 'Delete the selected measurement'],
  ['Arrows (Shift: ×10) on a listed measurement', 'Move it by 1 px (10 px); Enter goes to its slice'],
  ['[ / ], then Alt+arrows, on a listed measurement or finding', 'Choose one handle and move it: resize or reshape from the keyboard'],
  ['Author: P / B / E / D', 'Draw a point / box / ellipse / freehand finding (Shift: place it at the centre)'],
  ['Author: K', 'Mark / unmark the slice in view as a key image'],
  ['Left drag', 'Window / level, or draw with the chosen measurement tool; drag a handle to edit'],
  ['Middle drag', 'Pan'],
  ['Right drag', 'Zoom'],
];

export function HelpPanel({ onClose }: { onClose: () => void }) {
  return (
    <Modal labelledBy="help-title" onClose={onClose} className="help-dialog" testId="help">
      {(close) => (
        <>
          <h2 id="help-title">Keyboard shortcuts</h2>
          <table>
            <tbody>
              {SHORTCUTS.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}
            </tbody>
          </table>
          <button onClick={close}>Close</button>
        </>
      )}
    </Modal>
  );
}
