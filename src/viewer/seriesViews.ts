// The window (and inversion) a user last saw on each series, so coming back to a series shows it as they left it,
// while a series opened for the first time starts from its own window (header, else data). UI thread, no DOM.

export interface SeriesView { center: number; width: number; invert: boolean }

/** Series remembered at most (oldest forgotten first): a session rarely visits more. */
export const MAX_SERIES_VIEWS = 500;
const views = new Map<string, SeriesView>();

export function rememberSeriesView(key: string, view: SeriesView): void {
  views.delete(key);
  views.set(key, view);
  if (views.size > MAX_SERIES_VIEWS) views.delete(views.keys().next().value!);
}

export function seriesViewOf(key: string): SeriesView | undefined {
  return views.get(key);
}
