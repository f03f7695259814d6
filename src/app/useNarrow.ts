// Whether the window is tablet-narrow (the layout where the series panel is a drawer). UI thread.
import { useSyncExternalStore } from 'react';

/** Widths up to this use the tablet layout (src/styles.css has the same number in its @media rule). */
export const NARROW_QUERY = '(max-width: 1100px)';

export function useNarrow(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const m = window.matchMedia(NARROW_QUERY);
      m.addEventListener('change', changed);
      return () => m.removeEventListener('change', changed);
    },
    () => window.matchMedia(NARROW_QUERY).matches,
    () => false,
  );
}
