// Detection threshold: 20 synthetic-lesion trials on normal slices of an open CT or MR series, the lesion's contrast
// set by a staircase, ending with the CNR this trainee can just detect and its history per modality. Every image here
// is labelled SYNTHETIC and never exported as an acquired image. UI thread.
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Series } from '../dicom/groupSeries';
import type { InstanceHeader, PixelFrame } from '../shared/types';
import { newId, type Region } from '../teaching/model';
import type { Attempt, Mark } from '../teaching/practiceModel';
import { thresholdHistory } from '../teaching/staircase';
import { Viewport, type ViewportHandle } from '../viewer/Viewport';
import { paintRegions, useRegionDrawing, viewportIn, type PaintedRegion } from '../viewer/regionDrawing';
import type { LucidDb } from '../storage/db';
import { STAIRCASE_DIAMETER_MM, STAIRCASE_TRIALS, useStaircaseSession } from './useStaircaseSession';
import { assignRef } from './useCaseViewer';

interface Props {
  allSeries: Series[];
  header: (id: string) => InstanceHeader | undefined;
  decode: (id: string, frame: number) => Promise<PixelFrame>;
  db: () => Promise<LucidDb>;
  learnerId: string;
  attempts: Attempt[];
  onStored: (a: Attempt) => void;
  onError: (imageId: string, err: Error) => void;
  modeSwitch: React.ReactNode;
}

export const ThresholdView = forwardRef<ViewportHandle, Props>(function ThresholdView({ allSeries, header, decode, db, learnerId, attempts, onStored, onError, modeSwitch }, ref) {
  const seriesNow = useRef(allSeries);
  useEffect(() => { seriesNow.current = allSeries; }, [allSeries]);
  const latest = useCallback((uid: string) => seriesNow.current.find((s) => s.seriesInstanceUID === uid), []);
  const st = useStaircaseSession({ db, learnerId, header, decode, onStored, latest });
  const usable = allSeries.filter((s) => (s.modality === 'CT' || s.modality === 'MR') && s.images.length > 0 && s.instances[0]?.header.pixelSpacing);
  const [pick, setPick] = useState<string>('');
  const [marks, setMarks] = useState<Mark[]>([]);
  const [draft, setDraft] = useState<Region | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const viewport = useRef<ViewportHandle | null>(null);
  const trial = st.trial;

  useEffect(() => { setMarks([]); }, [trial]);
  const addMark = useCallback((region: Region) => {
    if (!trial || st.result || (region.kind !== 'point' && region.kind !== 'box')) return;
    setMarks((m) => [...m, { id: newId(), image: trial.image, region, label: trial.finding.label, confidence: 3 }]);
  }, [trial, st.result]);
  useRegionDrawing(container, trial && !st.result ? 'point' : null, addMark, setDraft, viewportIn);

  const painted = useMemo<PaintedRegion[]>(() => {
    const out: PaintedRegion[] = [];
    if (trial && st.result) out.push({ region: trial.finding.region, label: 'lesion', colour: st.result.detected ? '#66bb6a' : '#ffa726', selected: true });
    const hit = new Set(st.result?.score.marks.filter((m) => m.findingId).map((m) => m.markId));
    for (const m of marks) out.push({ region: m.region, label: '', colour: !st.result ? '#80deea' : hit.has(m.id) ? '#66bb6a' : '#ef5350' });
    if (draft) out.push({ region: draft, label: '', colour: '#80deea' });
    return out;
  }, [trial, st.result, marks, draft]);
  const paint = useCallback((el: HTMLElement, ctx: CanvasRenderingContext2D) => paintRegions(el, ctx, painted), [painted]);
  useEffect(() => { viewport.current?.redraw(); }, [paint]);
  const setRefs = useCallback((h: ViewportHandle | null) => {
    viewport.current = h;
    assignRef(ref, h);
  }, [ref]);

  const history = useMemo(() => thresholdHistory(attempts), [attempts]);
  const chosen = usable.find((s) => s.seriesInstanceUID === pick) ?? usable[0];
  const imageIds = useMemo(() => (trial ? [trial.imageId] : []), [trial]);

  return (
    <div className="author practice" data-testid="threshold-view">
      <div className="author-sets">
        <section className="panel" aria-label="Detection threshold">
          {modeSwitch}
          <h2>Detection threshold</h2>
          <p className="muted small">{STAIRCASE_TRIALS} synthetic trials: one computer-generated {STAIRCASE_DIAMETER_MM} mm lesion per slice, fainter after each
            two you find, stronger after each miss (2-down-1-up), so the contrast settles where you find it about 71 % of the time.</p>
          <label className="small">Slices from <select value={chosen?.seriesInstanceUID ?? ''} onChange={(e) => setPick(e.target.value)} data-testid="threshold-series">
            {usable.map((s) => <option key={s.seriesInstanceUID} value={s.seriesInstanceUID}>{s.modality}: {s.description || s.seriesInstanceUID}</option>)}
          </select></label>
          <button onClick={() => chosen && void st.start(chosen)} disabled={!chosen} data-testid="threshold-start">Start {STAIRCASE_TRIALS} trials</button>
          {st.error && <p className="error small" role="alert">{st.error.name}: {st.error.message}</p>}
          <h3>Your thresholds</h3>
          <table className="profile small" data-testid="threshold-history">
            <thead><tr><th scope="col">Modality</th><th scope="col">When</th><th scope="col">CNR</th><th scope="col">Trials</th></tr></thead>
            <tbody>
              {Object.entries(history).flatMap(([m, pts]) => pts.map((p) => (
                <tr key={`${m}${p.at}`}><th scope="row">{m}</th><td>{new Date(p.at).toLocaleDateString()}</td><td>{p.threshold.toFixed(2)}</td><td>{p.trials}</td></tr>
              )))}
            </tbody>
          </table>
        </section>
      </div>
      <div className="views" ref={container}>
        {trial ? (
          <Viewport ref={setRefs} imageIds={imageIds} seriesLabel={`SYNTHETIC lesion (computer-generated) · trial ${st.trialsDone + (st.result ? 0 : 1)}`} modality={trial.lesion.modality}
            header={header} teachingSafe onError={onError} paint={paint} />
        ) : <div className="empty">{st.done ? `Threshold measured: CNR ${st.threshold?.toFixed(2) ?? '—'}` : 'Choose a series and start.'}</div>}
      </div>
      <div className="side">
        {trial && (
          <section className="panel" aria-label="Synthetic trial" data-testid="threshold-panel">
            <p className="warning small">Synthetic case: the lesion is computer-generated.</p>
            <h2>Trial {Math.min(st.trialsDone + (st.result ? 0 : 1), STAIRCASE_TRIALS)} of {STAIRCASE_TRIALS}</h2>
            <p className="small">Is there a lesion? Click on it, then “Submit”; or “Nothing seen”.</p>
            <p className="small">Marks: {marks.length}</p>
            {!st.result ? (
              <div className="row">
                <button className="primary" onClick={() => void st.answer(marks)} disabled={marks.length === 0} data-testid="threshold-submit">Submit</button>
                <button onClick={() => void st.answer([])} data-testid="threshold-nothing">Nothing seen</button>
              </div>
            ) : (
              <>
                <p data-testid="threshold-result">{st.result.detected ? '✓ Found' : '✗ Missed'}: CNR {trial.lesion.stimulus.cnr.toFixed(2)}, {trial.lesion.stimulus.diameterMm} mm, contrast {trial.lesion.contrast.toFixed(0)} {trial.lesion.modality === 'CT' ? 'HU' : ''}</p>
                <button className="primary" onClick={() => void st.next()} data-testid="threshold-next">{st.trialsDone >= STAIRCASE_TRIALS ? 'See the threshold' : 'Next trial'}</button>
              </>
            )}
            {st.threshold !== null && <p className="small" data-testid="threshold-estimate">Estimate so far: CNR {st.threshold.toFixed(2)}</p>}
          </section>
        )}
      </div>
    </div>
  );
});
