// The learner's detection rate and false marks per case over time (blocks of 10 answers), drawn with uPlot; the
// profile table beside it carries the same numbers for screen readers. UI thread; the chart is rebuilt on new data.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesPoint } from '../teaching/profile';

export function ProfileChart({ points, width = 250 }: { points: SeriesPoint[]; width?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node || points.length === 0) return;
    const x = points.map((_, i) => i + 1);
    const found = points.map((p) => (p.detectionRate === null ? null : p.detectionRate * 100));
    const falseMarks = points.map((p) => p.falseMarksPerImage);
    const plot = new uPlot({
      width, height: 150, legend: { show: false },
      scales: { x: { time: false }, pct: { range: [0, 100] }, fp: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1)] } },
      axes: [
        { stroke: '#aaa', grid: { stroke: '#333' }, label: 'block of answers' },
        { scale: 'pct', stroke: '#aaa', grid: { stroke: '#333' }, values: (_u, v) => v.map((t) => `${t}%`) },
        { scale: 'fp', side: 1, stroke: '#aaa', grid: { show: false } },
      ],
      series: [{}, { label: 'found %', scale: 'pct', stroke: '#66bb6a', width: 2 }, { label: 'false / case', scale: 'fp', stroke: '#ef5350', width: 2 }],
    }, [x, found, falseMarks], node);
    return () => plot.destroy();
  }, [points, width]);
  return (
    <figure className="profile-chart-wrap">
      <div ref={el} className="profile-chart" role="img" aria-label="Detection rate and false marks per case over blocks of answers (the same numbers are in the table)" data-testid="profile-chart" />
      <figcaption className="muted small"><span style={{ color: '#66bb6a' }}>━ found %</span> · <span style={{ color: '#ef5350' }}>━ false marks per case</span>, per block of 10 answers</figcaption>
    </figure>
  );
}
