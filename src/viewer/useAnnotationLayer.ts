// Keeps a viewport's measurement tools in step with our Annotation list: reports drawing/editing/removal from
// cornerstone-tools and rewrites the tools' state whenever the list, the selection or the image lookup changes.
// UI thread (React hook); the cornerstone work is in annotationTools.ts.
import { useEffect, useRef, type RefObject } from 'react';
import type { Annotation, ImageRef, Point } from '../teaching/model';
import { applyAnnotations, listenToMeasurements } from './annotationTools';

/** What a Viewport needs to show and edit annotations (all in SOURCE-IMAGE PIXELS, images by UIDs). */
export interface AnnotationLayer {
  annotations: readonly Annotation[];
  selectedId: string | null;
  /** The cornerstone imageId showing a referenced frame in this viewport, if it is in the stack. */
  imageIdOf(ref: ImageRef): string | undefined;
  imageRefOf(imageId: string): ImageRef | undefined;
  onAdd(a: Annotation): void;
  onChange(id: string, points: Point[]): void;
  onRemove(id: string): void;
  onEditText?(id: string): void;
}

export function useAnnotationLayer(el: RefObject<HTMLElement | null>, layer: AnnotationLayer | undefined): void {
  const latest = useRef(layer);
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: handlers registered once read the current layer
  latest.current = layer;
  const on = Boolean(layer);
  useEffect(() => {
    const element = el.current;
    if (!element || !on) return;
    return listenToMeasurements(element, {
      imageRefOf: (id) => latest.current?.imageRefOf(id),
      known: (id) => Boolean(latest.current?.annotations.some((a) => a.id === id)),
      onAdd: (a) => latest.current?.onAdd(a),
      onChange: (id, points) => latest.current?.onChange(id, points),
      onRemove: (id) => latest.current?.onRemove(id),
      onEditText: (id) => latest.current?.onEditText?.(id),
    });
  }, [el, on]);
  const annotations = layer?.annotations, selectedId = layer?.selectedId ?? null, imageIdOf = layer?.imageIdOf;
  useEffect(() => {
    const element = el.current;
    if (!element || !annotations || !imageIdOf) return;
    applyAnnotations(element, annotations, imageIdOf, selectedId);
  }, [el, annotations, selectedId, imageIdOf]);
  // On unmount, take our drawings out of cornerstone's shared (per imageId) state: another view may show these images.
  useEffect(() => {
    const element = el.current;
    return () => { if (element && on) applyAnnotations(element, [], () => undefined); };
  }, [el, on]);
}
