// Workbench layout: header with the teaching-only notice and the views (Review, Author), the source panel (open,
// series, not loaded), the view. UI thread. Loads the bundled sample study when nothing else is loaded.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStudies } from './useStudies';
import { SeriesBrowser, seriesKey } from '../components/SeriesBrowser';
import { NotLoadedList } from '../components/NotLoadedList';
import { ProgressBar } from '../components/ProgressBar';
import { HelpPanel } from '../components/HelpPanel';
import type { ViewportHandle } from '../viewer/Viewport';
import { ReviewView, type PacsSend } from './ReviewView';
import { useInference } from './useInference';
import { registerDerivedLoader } from '../viewer/derivedImages';
import { Thumbnail } from '../viewer/Thumbnail';
import { imageIdOf, parseImageId, setupCornerstone } from '../viewer/cornerstoneSetup';
import { filesFromDrop, filesFromInput, sampleStudyFiles, type PickedFile } from '../sources/localFiles';
import { AuthorView } from './AuthorView';
import { usePacs } from './usePacs';
import { StudyBrowser } from '../components/StudyBrowser';
import { RetrievalStatus } from '../components/RetrievalStatus';
import { PracticeView } from './PracticeView';

/** The learner on this device (one profile per browser until learners can be named and switched). */
const LOCAL_LEARNER = 'local';
import { useTeaching } from './useTeaching';
import { useCaseImages } from './useCaseImages';
import { usePacket } from './usePacket';
import { useRoute } from './useRoute';
import { useNarrow } from './useNarrow';
import { openLucidDb, type LucidDb } from '../storage/db';
import { downloadBlob, downloadBytes } from './download';
import { zipSync } from 'fflate';
import type { Finding } from '../teaching/model';
import { annotationStoreOf } from './annotationStore';

/** What a PACS said to a STOW-RS, in one sentence: all stored, or which it refused and why. */
function storedSentence(server: string, results: { ok: boolean; reason?: string }[], what: string): string {
  const failed = results.filter((r) => !r.ok);
  return failed.length ? `${server} refused ${failed.length} of ${results.length}: ${failed.map((r) => r.reason ?? 'no reason given').join('; ')}`
    : `Stored in ${server}: ${what} (a new series in this study).`;
}

/** One connection for the page, opened on first use; a failed open is forgotten so the next use retries. */
function memoDb(): () => Promise<LucidDb> {
  let p: Promise<LucidDb> | undefined;
  return () => (p ??= openLucidDb().catch((e: unknown) => { p = undefined; throw e; }));
}

export function App() {
  const { studies, failures, reports, progress, load, header, decode, reportViewFailure, file, instanceOfSop, exportSr, exportDerived, checkImages, identityOf, tagsOf, screeningObjects, derivedFiles, teachingKey } = useStudies();
  const [route, go] = useRoute();
  const db = useMemo(() => memoDb(), []);
  const { imagesOf, ensureLoaded } = useCaseImages({ db, instanceOfSop, header, file, load });
  const teaching = useTeaching({ db, imagesOf });
  const annotationStore = useMemo(() => annotationStoreOf(db), [db]);
  const packet = usePacket({ teaching });
  /** The series in view: one the user picked, or the series of the first file of the last thing opened. */
  const [active, setActive] = useState<{ key: string } | { instanceId: string } | null>(null);
  /** Tablet layout: the series panel is a drawer, closed once a series is picked. */
  const narrow = useNarrow();
  const [drawer, setDrawer] = useState(false);
  const selectSeries = useCallback((key: string) => { setActive({ key }); setDrawer(false); }, []);
  const [teachingSafe, setTeachingSafe] = useState(true);
  const [help, setHelp] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const viewport = useRef<ViewportHandle>(null);
  const filesInput = useRef<HTMLInputElement>(null), folderInput = useRef<HTMLInputElement>(null);
  const loadedSomething = useRef(false);

  // Before any view's effects load an image (layout effects all run before passive ones); `header` and `decode` are
  // stable, so this runs once.
  useLayoutEffect(() => { setupCornerstone({ header, decode }); registerDerivedLoader(); }, [header, decode]);
  const inference = useInference({ header, decode });
  const openedFirst = useCallback((instanceId: string) => setActive({ instanceId }), []);
  const pacs = usePacs({ db, load, onFirst: openedFirst });
  const [pacsOpen, setPacsOpen] = useState(false);

  const open = useCallback((files: PickedFile[]) => {
    if (files.length === 0) return;
    loadedSomething.current = true;
    // What was just opened becomes the active study, from its first file to arrive.
    void load(files, (instanceId) => setActive({ instanceId }));
  }, [load]);

  // The sample study is the default when nothing else is loaded.
  useEffect(() => {
    let cancelled = false;
    // ?empty starts with nothing loaded (used by the benchmark to time a drop on its own).
    if (new URLSearchParams(window.location.search).has('empty')) return;
    sampleStudyFiles().then((files) => { if (!cancelled && !loadedSomething.current) open(files); })
      .catch((e: Error) => setSampleError(e.message));
    return () => { cancelled = true; };
  }, [open]);

  const allSeries = useMemo(() => studies.flatMap((s) => s.series), [studies]);
  const { origins, push } = pacs;
  const activeSeries = useMemo(() => (active === null ? undefined
    : 'key' in active ? allSeries.find((s) => seriesKey(s) === active.key)
      : allSeries.find((s) => s.images.some((i) => i.instanceId === active.instanceId))) ?? allSeries[0], [active, allSeries]);
  const imageIds = useMemo(() => activeSeries?.images.map((i) => imageIdOf(i.instanceId, i.frame)) ?? [], [activeSeries]);
  // A series opened from a PACS: what is made of it goes back there with the study's identity kept (the same archive;
  // de-identifying would orphan the results from their study).
  const origin = activeSeries ? origins.get(activeSeries.studyInstanceUID) : undefined;
  const studyUID = activeSeries?.studyInstanceUID;
  const pacsSend = useMemo<PacsSend | undefined>(() => {
    if (!origin || !studyUID) return undefined;
    const keep = { options: {}, keepIdentity: true };
    const store = async (files: Uint8Array[], what: string) => storedSentence(origin.label, await push(origin, studyUID, files), what);
    return {
      to: origin.label,
      screening: async (frames, threshold, reference) => {
        const { sr, seg } = await screeningObjects({ threshold, reference, frames }, keep);
        const n = frames.reduce((k, f) => k + f.regions.length, 0);
        return store(seg ? [sr, seg] : [sr], `an SR with ${n} region(s)${seg ? ' and a SEG' : ' (no pixel reached the threshold: no SEG)'}`);
      },
      derived: async (slices, model) => store(await derivedFiles(slices, model, keep), `${slices.length} enhanced slice(s)`),
      measurements: async (annotations) => store([await exportSr(annotations, keep)], `an SR with ${annotations.length} measurement(s)`),
    };
  }, [origin, studyUID, screeningObjects, derivedFiles, exportSr, push]);
  const sendKey = useMemo(() => (pacsSend && origin && studyUID ? {
    to: pacsSend.to,
    send: async (findings: Finding[]) => {
      const { sr, seg } = await teachingKey(findings, { options: {}, keepIdentity: true });
      return storedSentence(origin.label, await push(origin, studyUID, seg ? [sr, seg] : [sr]), `the key as an SR${seg ? ' and a SEG' : ''}`);
    },
  } : undefined), [pacsSend, origin, studyUID, teachingKey, push]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Keys belong to text fields while typing, and to an open dialog. A focused control keeps its own keys: Space
      // and Enter press a button, link or checkbox; the arrows, Home/End and Page keys move a slider, radio group or
      // list. Every other shortcut works wherever the focus is.
      const t = e.target;
      if ((t instanceof HTMLInputElement && ['text', 'number', 'search'].includes(t.type)) || t instanceof HTMLTextAreaElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t instanceof Element && t.closest('dialog[open], [role=dialog]')) return;
      if (t instanceof Element && (e.key === ' ' || e.key === 'Enter') && t.matches('button, a[href], summary, select, input, [role=button], [role=radio], [role=tab]')) return;
      if (t instanceof Element && /^(Arrow|Page|Home$|End$)/.test(e.key) && t.matches('select, input[type=range], input[type=radio], [role=slider], [role=radio], [role=tab], [role=listbox], [role=option]')) return;
      const v = viewport.current;
      const map: Record<string, () => void> = {
        ArrowUp: () => v?.scrollBy(-1), ArrowDown: () => v?.scrollBy(1),
        ArrowLeft: () => v?.scrollBy(-1), ArrowRight: () => v?.scrollBy(1),
        PageUp: () => v?.scrollBy(-10), PageDown: () => v?.scrollBy(10),
        Home: () => v?.scrollTo(0), End: () => v?.scrollTo(Number.MAX_SAFE_INTEGER),
        ' ': () => v?.toggleCine(), i: () => v?.toggleInvert(), r: () => v?.reset(), f: () => v?.fit(),
        t: () => setTeachingSafe((x) => !x), h: () => setHelp((x) => !x), '?': () => setHelp((x) => !x),
        Escape: () => setHelp(false),
      };
      const action = map[e.key] ?? (/^[0-6]$/.test(e.key) ? () => v?.applyPreset(e.key) : undefined);
      if (action) { e.preventDefault(); action(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onViewError = useCallback((imageId: string, err: Error) => {
    reportViewFailure(parseImageId(imageId).instanceId, { name: err.name, message: err.message });
  }, [reportViewFailure]);

  return (
    <div
      className={`app ${dragging ? 'dragging' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={(e) => { e.preventDefault(); setDragging(false); void filesFromDrop(e.dataTransfer).then(open); }}
      data-testid="app"
    >
      <header>
        <button className="drawer-toggle" aria-expanded={drawer} aria-controls="sources" onClick={() => setDrawer((d) => !d)} data-testid="drawer-toggle">☰ Series</button>
        <h1>Lucid</h1>
        <nav className="routes" aria-label="Views">
          <a href="#/review" aria-current={route === 'review' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go('review'); }} data-testid="route-review">Review</a>
          <a href="#/author" aria-current={route === 'author' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go('author'); }} data-testid="route-author">Author</a>
          <a href="#/practice" aria-current={route === 'practice' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go('practice'); }} data-testid="route-practice">Practice</a>
        </nav>
        <p className="notice" data-testid="notice">For teaching and review only — not a diagnostic device.</p>
        <label className="switch"><input type="checkbox" checked={teachingSafe} onChange={(e) => setTeachingSafe(e.target.checked)} data-testid="teaching-safe" /> Teaching-safe</label>
        <button onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">?</button>
      </header>
      {narrow && drawer && <div className="drawer-scrim" onClick={() => setDrawer(false)} aria-hidden="true" />}
      <aside id="sources" className={drawer ? 'open' : ''} inert={narrow && !drawer} aria-label="Studies and series"
        onKeyDown={(e) => { if (e.key === 'Escape' && narrow) { setDrawer(false); e.stopPropagation(); } }}>
        <div className="open">
          {/* Real buttons (keyboard and screen readers reach them) opening the hidden file inputs. */}
          <button onClick={() => filesInput.current?.click()} data-testid="open-files-button">Open files</button>
          <input ref={filesInput} type="file" multiple hidden tabIndex={-1} onChange={(e) => { open(filesFromInput(e.target.files)); e.target.value = ''; }} data-testid="open-files" />
          <button onClick={() => folderInput.current?.click()} data-testid="open-folder-button">Open folder</button>
          <input ref={folderInput} type="file" hidden tabIndex={-1} {...{ webkitdirectory: '', directory: '' }} onChange={(e) => { open(filesFromInput(e.target.files)); e.target.value = ''; }} data-testid="open-folder" />
          <button onClick={() => setPacsOpen(true)} data-testid="open-pacs">Open from PACS</button>
          <p className="muted small">…or drop files and folders anywhere. Nothing leaves this browser except requests to a PACS you add.</p>
        </div>
        {pacs.retrieval && <RetrievalStatus retrieval={pacs.retrieval} onCancel={pacs.cancel} onRetry={() => { loadedSomething.current = true; void pacs.openStudy(pacs.retrieval!.server, pacs.retrieval!.study); }} onDismiss={pacs.dismiss} />}
        <ProgressBar done={progress.done} total={progress.total} large={progress.large} />
        {sampleError && <p className="muted small">Sample study unavailable: {sampleError}</p>}
        <SeriesBrowser
          studies={studies}
          activeKey={activeSeries ? seriesKey(activeSeries) : null}
          teachingSafe={teachingSafe}
          onSelect={selectSeries}
          thumbnail={(s) => {
            const mid = s.images[Math.floor(s.images.length / 2)]!;
            return <Thumbnail instanceId={mid.instanceId} frame={mid.frame} header={header(mid.instanceId)} decode={decode} />;
          }}
        />
        <NotLoadedList failures={failures} />
      </aside>
      <main>
        {route === 'author' ? (
          <AuthorView ref={viewport} teaching={teaching} series={activeSeries} allSeries={allSeries} header={header} onSelectSeries={selectSeries}
            ensureLoaded={ensureLoaded} teachingSafe={teachingSafe} onError={onViewError} packet={packet} inference={inference} db={db} sendKey={sendKey} />
        ) : route === 'practice' ? (
          <PracticeView ref={viewport} sets={teaching.sets} series={activeSeries} allSeries={allSeries} header={header} onSelectSeries={selectSeries}
            ensureLoaded={ensureLoaded} teachingSafe={teachingSafe} onError={onViewError} db={db} learnerId={LOCAL_LEARNER} packet={packet} decode={decode} />
        ) : activeSeries ? (
          <ReviewView
            ref={viewport}
            imageIds={imageIds}
            seriesLabel={activeSeries.description || `Series ${activeSeries.seriesNumber ?? ''}`}
            seriesId={seriesKey(activeSeries)}
            modality={activeSeries.modality}
            header={header}
            teachingSafe={teachingSafe}
            inference={inference}
            onError={onViewError}
            annotationStore={annotationStore}
            checkImages={checkImages}
            identityOf={identityOf}
            pacs={pacsSend}
            reports={reports}
            tagsOf={tagsOf}
            exportDerived={async (slices, model, privacy) => downloadBlob(await exportDerived(slices, model, privacy),
              privacy.keepIdentity ? `IDENTIFIED ${activeSeries.description || 'series'} ${model.modelId}.zip` : `${activeSeries.modality || 'series'} ${model.modelId} (de-identified).zip`)}
            saveScreening={async (frames, threshold, reference) => {
              // Outside the PACS: de-identified (the same engine and per-set secret as every export).
              const { sr, seg } = await screeningObjects({ threshold, reference, frames }, { options: {} });
              const files: Record<string, Uint8Array> = { 'anomaly findings.sr.dcm': sr };
              if (seg) files['anomaly regions.seg.dcm'] = seg;
              downloadBlob(new Blob([zipSync(files, { level: 0 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), `${activeSeries.modality || 'series'} anomaly findings (de-identified).zip`);
            }}
            exportSr={async (annotations, privacy) => downloadBytes(await exportSr(annotations, privacy),
              privacy.keepIdentity ? `IDENTIFIED ${activeSeries.description || 'series'} measurements.sr.dcm` : `${activeSeries.modality || 'series'} measurements (de-identified).sr.dcm`, 'application/dicom')}
          />
        ) : (
          <div className="empty">Drop DICOM files or folders here.</div>
        )}
      </main>
      {help && <HelpPanel onClose={() => setHelp(false)} />}
      {pacsOpen && (
        <StudyBrowser servers={pacs.servers} onPutServer={pacs.putServer} onRemoveServer={pacs.removeServer} teachingSafe={teachingSafe}
          onOpen={(server, study) => { loadedSomething.current = true; setDrawer(false); void pacs.openStudy(server, study); }} onClose={() => setPacsOpen(false)} />
      )}
      {dragging && <div className="drop-overlay">Drop to open</div>}
    </div>
  );
}
