// The view in the URL hash (#/review, #/author, #/practice), so a reload or a bookmark opens the same view. UI thread.
import { useCallback, useEffect, useState } from 'react';

export const ROUTES = ['review', 'author', 'practice'] as const;
export type Route = (typeof ROUTES)[number];

function fromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'review';
}

export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => fromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(fromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((r: Route) => { window.location.hash = `/${r}`; setRoute(r); }, []);
  return [route, go];
}
