// The viewer of a case-based view (Author, Practice): the series on screen, the image in view by UIDs, and going to
// an image of a case — loading it from storage when needed, selecting its series, scrolling once it is shown.
// UI thread. The app's shortcuts drive the same viewport through the forwarded ref.
import { useCallback, useEffect, useMemo, useRef, useState, type ForwardedRef } from 'react';
import type { Series } from '../dicom/groupSeries';
import type { InstanceHeader } from '../shared/types';
import type { Case, ImageRef } from '../teaching/model';
import type { ViewSync, ViewportHandle } from '../viewer/Viewport';
import { imageIdOf, parseImageId } from '../viewer/cornerstoneSetup';
import { seriesKey } from '../components/SeriesBrowser';

export interface CaseViewerDeps {
  series: Series | undefined;
  allSeries: Series[];
  header: (instanceId: string) => InstanceHeader | undefined;
  onSelectSeries: (key: string) => void;
  /** Loads the given SOP Instance UIDs from storage when they are not open yet (resolves when they are). */
  ensureLoaded: (sopUIDs: string[]) => Promise<void>;
}

/** Where a case opens: its first key image, else the first image of its first series. */
export function firstImageOf(c: Case): ImageRef | null {
  const s0 = c.series[0], sop0 = s0?.sopInstanceUIDs[0];
  return c.keyImages[0] ?? (s0 && sop0 ? { studyInstanceUID: s0.studyInstanceUID, seriesInstanceUID: s0.seriesInstanceUID, sopInstanceUID: sop0, frame: 0 } : null);
}

/** Hands `value` to a forwarded ref, function or object (a view keeping its own ref too). */
export function assignRef<T>(ref: ForwardedRef<T>, value: T | null): void {
  if (typeof ref === 'function') ref(value); else if (ref) ref.current = value;
}

export function useCaseViewer({ series, allSeries, header, onSelectSeries, ensureLoaded }: CaseViewerDeps, ref: ForwardedRef<ViewportHandle>) {
  const viewport = useRef<ViewportHandle | null>(null);
  // Hands the viewport to the app's forwarded ref as well (the usual ref-merging pattern).
  const setRefs = useCallback((h: ViewportHandle | null) => {
    viewport.current = h;
    assignRef(ref, h);
  }, [ref]);
  const [sync, setSync] = useState<ViewSync | null>(null);
  const [pendingJump, setPendingJump] = useState<ImageRef | null>(null);

  const imageIds = useMemo(() => series?.images.map((i) => imageIdOf(i.instanceId, i.frame)) ?? [], [series]);
  const current = sync?.imageId ?? imageIds[0];
  const currentHeader = current ? header(parseImageId(current).instanceId) : undefined;
  // Memoised so its identity changes only with the image in view (callbacks depend on it).
  const currentRef = useMemo<ImageRef | null>(() => (currentHeader && current ? {
    studyInstanceUID: currentHeader.studyInstanceUID, seriesInstanceUID: currentHeader.seriesInstanceUID,
    sopInstanceUID: currentHeader.sopInstanceUID, frame: parseImageId(current).frame,
  } : null), [currentHeader, current]);

  // The series list and the viewer catch up over several renders, so going to an image is an effect on a target.
  const goTo = useCallback(async (target: ImageRef) => {
    setPendingJump(target);
    await ensureLoaded([target.sopInstanceUID]);
  }, [ensureLoaded]);
  useEffect(() => {
    if (!pendingJump) return;
    if (!series || series.seriesInstanceUID !== pendingJump.seriesInstanceUID) {
      const s = allSeries.find((x) => x.seriesInstanceUID === pendingJump.seriesInstanceUID);
      if (s) onSelectSeries(seriesKey(s));
      return;
    }
    if (!sync || !imageIds.includes(sync.imageId)) return; // the viewer has not shown this series yet
    const i = series.images.findIndex((im) => header(im.instanceId)?.sopInstanceUID === pendingJump.sopInstanceUID && im.frame === pendingJump.frame);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the target is reached once the viewer shows its series
    if (i >= 0) { viewport.current?.scrollTo(i); setPendingJump(null); }
  }, [pendingJump, series, allSeries, header, onSelectSeries, sync, imageIds]);

  /** Opens a case: all its images (from storage when not open), then where it starts. */
  const openImagesOf = useCallback(async (c: Case) => {
    await ensureLoaded(c.series.flatMap((s) => s.sopInstanceUIDs));
    const first = firstImageOf(c);
    if (first) await goTo(first);
  }, [ensureLoaded, goTo]);

  return { viewport, setRefs, sync, setSync, imageIds, current, currentHeader, currentRef, goTo, openImagesOf };
}
