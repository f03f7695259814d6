// The learner's detection rate and false marks per case over time (blocks of 10 answers), drawn with uPlot; the
// profile table beside it carries the same numbers for screen readers. UI thread; the chart is rebuilt on new data.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesPoint } from '../teaching/profile';

/** What a chart shows: detection (found %, false marks per case) or localisation (error mm, time s). */
export type ChartKind = 'detection' | 'localisation';
const SERIES: Record<ChartKind, { a: [string, string, (p: SeriesPoint) => number | null]; b: [string, string, (p: SeriesPoint) => number | null]; pct: boolean; caption: string }> = {
  detection: { a: ['found %', '#66bb6a', (p) => (p.detectionRate === null ? null : p.detectionRate * 100)], b: ['false marks per case', '#ef5350', (p) => p.falseMarksPerImage], pct: true, caption: 'Detection rate and false marks per case' },
  localisation: { a: ['localisation error mm', '#42a5f5', (p) => p.meanLocalisationErrorMm], b: ['time s', '#ffb74d', (p) => p.meanTimeS], pct: false, caption: 'Localisation error (mm) and time per case (s)' },
};

export function ProfileChart({ points, width = 250, kind = 'detection' }: { points: SeriesPoint[]; width?: number; kind?: ChartKind }) {
  const spec = SERIES[kind];
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node || points.length === 0) return;
    const x = points.map((_, i) => i + 1);
    const first = points.map(spec.a[2]);
    const second = points.map(spec.b[2]);
    const plot = new uPlot({
      width, height: 150, legend: { show: false },
      scales: { x: { time: false }, pct: { range: spec.pct ? [0, 100] : (_u, _min, max) => [0, Math.max(1, max ?? 1)] }, fp: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1)] } },
      axes: [
        { stroke: '#aaa', grid: { stroke: '#333' }, label: 'block of answers' },
        { scale: 'pct', stroke: '#aaa', grid: { stroke: '#333' }, values: (_u, v) => v.map((t) => (spec.pct ? `${t}%` : `${t}`)) },
        { scale: 'fp', side: 1, stroke: '#aaa', grid: { show: false } },
      ],
      series: [{}, { label: spec.a[0], scale: 'pct', stroke: spec.a[1], width: 2 }, { label: spec.b[0], scale: 'fp', stroke: spec.b[1], width: 2 }],
    }, [x, first, second], node);
    return () => plot.destroy();
  }, [points, width, spec]);
  return (
    <figure className="profile-chart-wrap">
      <div ref={el} className="profile-chart" role="img" aria-label={`${spec.caption} over blocks of answers (the same numbers are in the table)`} data-testid={`profile-chart-${kind}`} />
      <figcaption className="muted small"><span style={{ color: spec.a[1] }}>━ {spec.a[0]}</span> · <span style={{ color: spec.b[1] }}>━ {spec.b[0]}</span>, per block of 10 answers</figcaption>
    </figure>
  );
}
