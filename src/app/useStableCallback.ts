// A callback whose identity never changes but which always runs the latest render's function: lets a memoised panel
// skip re-rendering when only the closure changed (ReviewView re-renders on every slice, pan and window change).
// Call it from event handlers, not during render (the latest function is installed after each commit).
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => { latest.current = fn; });
  return useCallback((...args: A) => latest.current(...args), []);
}
