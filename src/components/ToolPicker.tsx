// The measurement tool picker: which tool the left mouse button draws with (window/level when none), each with its
// keyboard shortcut, and "Place at centre" for drawing without a mouse. Presentational: props in, callbacks out.
import { memo } from 'react';
import type { AnnotationKind } from '../teaching/model';

/** The tools, their names and shortcut keys (none clash with the viewer's: arrows, Page, Home/End, space, i r f t h ?, 0–6). */
export const MEASURE_TOOLS: readonly { kind: AnnotationKind; name: string; key: string; how: string }[] = [
  { kind: 'length', name: 'Length', key: 'l', how: 'drag from one end to the other' },
  { kind: 'angle', name: 'Angle', key: 'a', how: 'drag the first arm, then click the third point' },
  { kind: 'ellipse', name: 'Ellipse', key: 'e', how: 'drag across the bounding box' },
  { kind: 'rectangle', name: 'Rectangle', key: 'b', how: 'drag corner to corner' },
  { kind: 'probe', name: 'Probe', key: 'p', how: 'click a pixel' },
  { kind: 'arrow', name: 'Arrow', key: 'n', how: 'drag from the tip; type its text in the list' },
  { kind: 'freehand', name: 'Freehand', key: 'd', how: 'click points or drag, close on the first point' },
];
/** Back to window/level on the left button. */
export const POINTER_KEY = 'w';

interface Props {
  /** The measurement tool on the left button, or null (window/level or another mode). */
  tool: AnnotationKind | null;
  onTool: (kind: AnnotationKind | null) => void;
  onPlace: () => void;
}

function ToolPickerView({ tool, onTool, onPlace }: Props) {
  return (
    <div className="row tool-picker" role="toolbar" aria-label="Measurement tools" data-testid="tool-picker">
      <button aria-pressed={tool === null} onClick={() => onTool(null)} title={`Window / level on the left button (key ${POINTER_KEY.toUpperCase()})`} data-testid="measure-tool-none">W/L</button>
      {MEASURE_TOOLS.map((t) => (
        <button key={t.kind} aria-pressed={tool === t.kind} onClick={() => onTool(tool === t.kind ? null : t.kind)}
          title={`${t.name} (key ${t.key.toUpperCase()}): ${t.how}; Enter places one at the centre`} data-testid={`measure-tool-${t.kind}`}>{t.name}</button>
      ))}
      <button onClick={onPlace} disabled={tool === null} title="Add the chosen measurement at the centre of the view (Enter)" data-testid="place-centre">Place at centre</button>
    </div>
  );
}

/** Memoised: the review view re-renders on every slice, pan and window change. */
export const ToolPicker = memo(ToolPickerView);
