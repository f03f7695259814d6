// Every dialog's frame: a native modal <dialog> (the browser keeps focus inside and the rest of the page inert), opened
// on mount, closed by Escape, by its × button or a click on the backdrop — each calls onClose once. Focus returns to
// what had it before the dialog opened, also when the parent removes the dialog itself. Presentational.
import { useEffect, useRef, type ReactNode, type SyntheticEvent } from 'react';
import './modal.css';

interface Props {
  /** The dialog's accessible name (or `labelledBy`, the id of its heading). */
  label?: string;
  labelledBy?: string;
  onClose: () => void;
  className?: string;
  testId?: string;
  /** Content; a function gets `close` for buttons of its own (Cancel, Close) that should close as Escape does. */
  children: ReactNode | ((close: (e: SyntheticEvent) => void) => ReactNode);
}

/** Closes the dialog a control is in (an event handler: no ref read while rendering). */
function close(e: SyntheticEvent): void {
  (e.currentTarget as Element).closest('dialog')?.close();
}

export function Modal({ label, labelledBy, onClose, className, testId, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closed = useRef(onClose);
  useEffect(() => { closed.current = onClose; }, [onClose]);
  useEffect(() => {
    const d = dialog.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    // The browser focuses the first control; a dialog may name a better one (the tag browser's filter).
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // No close() here: its 'close' event would call onClose (React's development double effects would shut the dialog
    // at once). Removing an open dialog leaves the top layer; focus goes back by hand.
    return () => { if (opener?.isConnected) opener.focus(); };
  }, []);
  return (
    <dialog
      ref={dialog}
      className={`modal ${className ?? ''}`}
      aria-label={label}
      aria-labelledby={labelledBy}
      data-testid={testId}
      onClose={() => closed.current()}
      // The dialog box fills its inner frame, so a click whose target is the <dialog> itself is on the backdrop.
      onClick={(e) => { if (e.target === e.currentTarget) e.currentTarget.close(); }}
    >
      <div className="modal-frame">
        {typeof children === 'function' ? children(close) : children}
        {/* Last in the tab order, first in the corner. */}
        <button className="close" onClick={close} aria-label="Close">×</button>
      </div>
    </dialog>
  );
}
