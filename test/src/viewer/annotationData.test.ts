// Annotation ↔ cornerstone-tools measurement data: every kind survives the round trip with exact points, ids are the
// measurements' uuids, arrow text travels both ways, and incomplete drawings are refused.
import { describe, expect, it } from 'vitest';
import { ANNOTATION_KINDS, type ImageRef } from '../../../src/teaching/model';
import { defaultPoints, makeAnnotation } from '../../../src/teaching/annotationActions';
import { TOOL_OF, isAnnotationKind, kindOfTool, pointsOf, toAnnotation, toToolData } from '../../../src/viewer/annotationData';

const img: ImageRef = { studyInstanceUID: 'st', seriesInstanceUID: 'se', sopInstanceUID: 'se.7', frame: 2 };

describe('annotationData', () => {
  it('round-trips every kind through cornerstone-tools data with the same id and exact points', () => {
    for (const kind of ANNOTATION_KINDS) {
      const a = makeAnnotation(`id-${kind}`, kind, img, defaultPoints(kind, { x: 100.3, y: 200.7 }, 33.3), 5, 'lbl', kind === 'arrow' ? 'look here' : '');
      const { toolName, data } = toToolData(a);
      expect(toolName).toBe(TOOL_OF[kind]);
      expect(kindOfTool(toolName)).toBe(kind);
      const back = toAnnotation(toolName, data, img, 9)!;
      expect(back.id).toBe(a.id);
      expect(back.points).toEqual(a.points);
      expect(back.text).toBe(a.text);
    }
  });

  it('maps handles in our point order: angle start/middle(vertex)/end, probe end, arrow start = tip', () => {
    const angle = toToolData(makeAnnotation('a', 'angle', img, [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 5, y: 6 }], 0)).data;
    expect(angle.handles.middle).toMatchObject({ x: 3, y: 4 });
    const probe = toToolData(makeAnnotation('p', 'probe', img, [{ x: 7, y: 8 }], 0)).data;
    expect(probe.handles.end).toMatchObject({ x: 7, y: 8 });
    const arrow = toToolData(makeAnnotation('r', 'arrow', img, [{ x: 1, y: 1 }, { x: 9, y: 9 }], 0)).data;
    expect(arrow.handles.start).toMatchObject({ x: 1, y: 1 });
  });

  it('gives a restored freehand contour closed links and a bounding box, and a selected one its colour', () => {
    const f = makeAnnotation('f', 'freehand', img, [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 5 }], 0);
    const { data } = toToolData(f, 'red');
    const pts = data.handles.points!;
    expect(pts[2]!.lines![0]).toBe(pts[0]);
    expect(data.polyBoundingBox).toEqual({ left: 0, top: 0, width: 10, height: 5 });
    expect(data.color).toBe('red');
  });

  it('refuses drawings without a uuid, with missing handles, or from other tools', () => {
    expect(toAnnotation('Length', { handles: { start: { x: 0, y: 0 }, end: { x: 1, y: 1 } } }, img, 0)).toBeNull();
    expect(toAnnotation('Length', { uuid: 'u', handles: { start: { x: 0, y: 0 } } }, img, 0)).toBeNull();
    expect(toAnnotation('Bidirectional', { uuid: 'u', handles: {} }, img, 0)).toBeNull();
    expect(pointsOf('freehand', { handles: { points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] } })).toBeNull();
    expect(isAnnotationKind('roi')).toBe(false);
    expect(isAnnotationKind('ellipse')).toBe(true);
  });
});
