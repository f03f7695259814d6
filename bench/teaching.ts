// Teaching-set benchmark (prints measured numbers; never pass/fail): a 100-case set written in Node with the app's own
// writePacket, then, in Chromium against the production build (vite build + vite preview): import the packet, open
// the set after a reload, open a case until its key image is on screen, export the packet, and IndexedDB bytes per case.
// Times are taken in the page (performance.now from the user's event to the DOM state), so Playwright's polling and
// protocol round trips are not counted. BENCH_TEACHING_REPEATS sets the repeats (default 5 for open, 3 for export).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { syntheticImage, SAMPLE_UID_ROOT, type SeriesSpec, type SyntheticImage } from '../src/dicom/synthetic/sampleStudy';
import { writeDicom, type WriteElement } from '../src/dicom/writeDicom';
import { TS_UID } from '../src/dicom/transferSyntax';
import { writePacket } from '../src/teaching/packet/writePacket';
import { emptyCase, emptySet, type Annotation, type Case, type Finding, type Region, type SeriesRef, type TeachingSet } from '../src/teaching/model';
import { median } from './benchSlice';

const CASES = 100;
const SLICES = 10;
/** Every SHARE_EVERY-th case asks a second question on the previous case's series (same images, stored once). */
const SHARE_EVERY = 10;
const REPEATS = Number(process.env.BENCH_TEACHING_REPEATS ?? 5);
const PORT = 5185;
const ROOT = `${SAMPLE_UID_ROOT}.77`;

/** Case i is MR 256² when i % 3 === 2, else CT 512². */
const modalityOf = (i: number): 'CT' | 'MR' => (i % 3 === 2 ? 'MR' : 'CT');
const POOL: Record<'CT' | 'MR', SeriesSpec> = {
  CT: { modality: 'CT', size: 512, slices: 20, seriesNumber: 1, description: 'pool', spacing: 0.7, sliceSpacing: 5, studyUID: `${ROOT}.0` },
  MR: { modality: 'MR', size: 256, slices: 20, seriesNumber: 2, description: 'pool', spacing: 0.9, sliceSpacing: 4, studyUID: `${ROOT}.0` },
};
/** The key image (0-based slice) of case i: varies so that consecutive cases open on different slices. */
const keySliceOf = (i: number) => 2 + (i % 7);

interface BenchSet { packet: Uint8Array; setId: string; cases: Case[]; images: number; imageRefs: number; dicomBytes: number }
interface BuiltSet { set: TeachingSet; cases: Case[]; annotations: Annotation[]; files: Map<string, Uint8Array>; imageRefs: number }

type Pool = Record<'CT' | 'MR', SyntheticImage[]>;
const NOW = Date.UTC(2026, 0, 1);

/** Case i's own 10-slice series: pool pixels under new study, series and SOP Instance UIDs (files added to `files`). */
function newSeries(i: number, pool: Pool, files: Map<string, Uint8Array>): SeriesRef {
  const mod = modalityOf(i), spec = POOL[mod], studyUID = `${ROOT}.${i + 1}`, seriesUID = `${studyUID}.1`;
  const offset = i % (spec.slices - SLICES + 1), half = (spec.size * spec.spacing) / 2;
  const sops = Array.from({ length: SLICES }, (_, k) => {
    const sop = `${seriesUID}.${k + 1}`;
    const replace: Record<number, WriteElement['value']> = {
      0x00080018: sop, 0x0020000d: studyUID, 0x0020000e: seriesUID, 0x00200011: 1, 0x00200013: k + 1,
      0x0008103e: `Case ${i + 1} ${mod === 'CT' ? 'chest CT' : 'brain T1 MR'}`, 0x00200032: [-half, -half, k * spec.sliceSpacing],
    };
    const elements = pool[mod][offset + k]!.elements.map((e) => (e.tag in replace ? { ...e, value: replace[e.tag] } : e));
    files.set(sop, writeDicom(elements, { transferSyntaxUID: TS_UID.explicitLE }));
    return sop;
  });
  return { studyInstanceUID: studyUID, seriesInstanceUID: seriesUID, modality: mod, description: `Case ${i + 1}`, sopInstanceUIDs: sops };
}

/** Case i on `series`: 2–3 findings (ellipse, box, then point or freehand) with explanations, two key images, texts. */
function caseOn(i: number, series: SeriesRef, set: TeachingSet, secondLook: boolean): { record: Case; annotations: Annotation[] } {
  const size = series.modality === 'CT' ? 512 : 256, key = keySliceOf(i);
  const ref = (k: number) => ({ studyInstanceUID: series.studyInstanceUID, seriesInstanceUID: series.seriesInstanceUID, sopInstanceUID: series.sopInstanceUIDs[k]!, frame: 0 });
  const at = (x: number, y: number) => ({ x: x * size, y: y * size }); // fractions of the image → source pixels
  const third: Region = i % 2
    ? { kind: 'point', point: at(0.5, 0.7) }
    : { kind: 'freehand', points: Array.from({ length: 24 }, (_, p) => at(0.5 + 0.05 * Math.cos(p / 3.82), 0.7 + 0.05 * Math.sin(p / 3.82))) };
  const regions: Region[] = [{ kind: 'ellipse', corners: [at(0.3, 0.35), at(0.4, 0.45)] }, { kind: 'box', corners: [at(0.55, 0.5), at(0.7, 0.62)] }, third];
  const findings: Finding[] = regions.slice(0, 2 + (i % 2)).map((region, f) => ({
    id: `f-${i}-${f}`, image: ref(Math.min(SLICES - 1, key + f)), region, label: set.vocabulary[(i + f) % set.vocabulary.length]!,
    difficulty: (1 + ((i + f) % 5)) as Finding['difficulty'], toleranceMm: f === 0 ? null : 5,
    explanation: `Finding ${f + 1} of case ${i + 1}: note the margin, the density against the neighbouring tissue and how it changes over the adjacent slices; compare with the other side before deciding.`,
  }));
  const record: Case = {
    ...emptyCase(set.id, NOW + i, `case-${String(i + 1).padStart(3, '0')}`),
    title: `Case ${i + 1}${secondLook ? ' (second look)' : ''}`, series: [series], keyImages: [ref(key), ref(key - 2)],
    history: `Case ${i + 1}: ${40 + (i % 40)}-year-old with ${series.modality === 'CT' ? 'cough and weight loss over three months' : 'headaches and new left-sided weakness'}.`,
    question: 'What are the findings, and what is the most likely diagnosis?', findings,
    diagnosis: `Diagnosis ${i + 1}: ${findings[0]!.label}`, discussion: 'Discuss the differential and the next imaging step.',
  };
  const note = (id: string, kind: Annotation['kind'], k: number, points: Annotation['points'], label: string, text: string): Annotation =>
    ({ id: `a-${i}-${id}`, kind, image: ref(k), points, label, text, createdAt: NOW, updatedAt: NOW });
  // Annotations belong to images, not cases: a second look at the same series shows the first case's.
  const annotations = secondLook ? [] : [
    note('len', 'length', key, [at(0.3, 0.4), at(0.4, 0.4)], 'long axis', ''),
    note('arrow', 'arrow', key, [at(0.45, 0.5), at(0.6, 0.6)], '', 'look here'),
    note('probe', 'probe', 0, [at(0.5, 0.5)], 'ROI', ''),
  ];
  return { record, annotations };
}

/**
 * The set: 100 cases of one 10-slice series each. Pixels come from a pool of 20 phantom slices per modality (a 512²
 * phantom takes ~0.5 s to compute); every case's series has its own study, series and SOP Instance UIDs, so each is
 * its own set of files, except every 10th case, a second look at the previous case's series (its images stored once).
 */
function buildSet(): BuiltSet {
  const pool: Pool = { CT: Array.from({ length: POOL.CT.slices }, (_, k) => syntheticImage(POOL.CT, k)), MR: Array.from({ length: POOL.MR.slices }, (_, k) => syntheticImage(POOL.MR, k)) };
  const set: TeachingSet = { ...emptySet(NOW), title: 'Bench: 100 chest CT and brain MR cases', author: 'Lucid bench', description: 'Generated by bench/teaching.ts.' };
  const files = new Map<string, Uint8Array>();
  const cases: Case[] = [];
  const annotations: Annotation[] = [];
  for (let i = 0; i < CASES; i++) {
    const secondLook = i % SHARE_EVERY === SHARE_EVERY - 1;
    const made = caseOn(i, secondLook ? cases[i - 1]!.series[0]! : newSeries(i, pool, files), set, secondLook);
    cases.push(made.record);
    annotations.push(...made.annotations);
  }
  set.caseIds = cases.map((c) => c.id);
  return { set, cases, annotations, files, imageRefs: cases.reduce((n, c) => n + c.series[0]!.sopInstanceUIDs.length, 0) };
}

/** The set as a packet, written by the app's own writePacket (also used to profile import and export by hand). */
export async function makePacket(): Promise<BenchSet> {
  const t0 = performance.now();
  const built = buildSet();
  const t1 = performance.now();
  const packet = await writePacket({ set: built.set, cases: built.cases, annotations: built.annotations, images: built.files, outputs: new Map(), modelCards: {} }, { appVersion: 'bench' });
  const dicomBytes = [...built.files.values()].reduce((n, f) => n + f.length, 0);
  console.log(`\n# Teaching set in Node: ${CASES} cases, ${built.files.size} images (${mb(dicomBytes)} of DICOM; ${built.imageRefs} image references: every ${SHARE_EVERY}th case reuses the previous case's series), ${built.annotations.length} annotations`);
  console.log(`generate DICOM: ${((t1 - t0) / 1000).toFixed(1)} s;  writePacket: ${((performance.now() - t1) / 1000).toFixed(1)} s;  packet ${mb(packet.length)}`);
  return { packet, setId: built.set.id, cases: built.cases, images: built.files.size, imageRefs: built.imageRefs, dicomBytes };
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Marks the time of the user's events (capture phase, before React's handlers) and keeps every long task. */
const MARKS_SCRIPT = `globalThis.__name = (f) => f;
  globalThis.__marks = {}; globalThis.__long = [];
  const mark = (e) => { const t = e.target; if (t instanceof HTMLAnchorElement && t.download) __marks.download = performance.now();
    const id = t instanceof Element ? t.closest('[data-testid]')?.getAttribute('data-testid') : null; if (id) __marks[id] = performance.now(); };
  document.addEventListener('change', mark, true); document.addEventListener('click', mark, true);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) __long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });`;

/** A DOM state the benchmark waits for (a plain object: the page's CSP forbids evaluating strings). */
type Done = { casesListed: number } | { sliceShown: string } | { downloadAfter: string };

/** ms from the mark `from` until `done` holds in the page (checked every frame), and the longest task in between. */
async function timeUntil(page: Page, from: string, done: Done): Promise<{ ms: number; longest: number }> {
  const handle = await page.waitForFunction((d: Done) => {
    const marks = (globalThis as unknown as { __marks: Record<string, number> }).__marks;
    const error = document.querySelector('[data-testid=teaching-error]');
    if (error) throw new Error(`the app reports ${error.textContent}`);
    const ok = 'casesListed' in d ? document.querySelectorAll('[data-testid=case-item]').length === d.casesListed
      : 'sliceShown' in d ? document.querySelector('.author [data-testid=overlay-slice]')?.textContent === d.sliceShown
        : (marks.download ?? 0) > (marks[d.downloadAfter] ?? Infinity);
    return ok && performance.now();
  }, done, { polling: 'raf', timeout: 600_000 });
  const end = (await handle.jsonValue()) as number;
  return page.evaluate(([from, end]) => {
    const g = globalThis as unknown as { __marks: Record<string, number>; __long: [number, number][] };
    const t0 = g.__marks[from]!;
    return { ms: end - t0, longest: Math.max(0, ...g.__long.filter(([s]) => s >= t0 && s <= end).map(([, d]) => d)) };
  }, [from, end] as [string, number]);
}

/** Bytes IndexedDB holds per store, counted as src/storage/storageStats.ts does (binary byteLength + JSON length). */
function dbStats(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('lucid'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const out: Record<string, { records: number; bytes: number }> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      const s = { records: 0, bytes: 0 };
      await new Promise<void>((resolve, reject) => {
        const r = db.transaction(name).objectStore(name).openCursor();
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const c = r.result;
          if (!c) { resolve(); return; }
          let binary = 0;
          const json = JSON.stringify(c.value, (_k, v: unknown) => { if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) { binary += v.byteLength; return null; } return v; });
          s.records += 1; s.bytes += binary + json.length;
          c.continue();
        };
      });
      out[name] = s;
    }
    db.close();
    return out;
  });
}
const usage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ms (median of ${xs.length}: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
const longest = (xs: number[]) => `longest task ${Math.max(...xs).toFixed(0)} ms`;

export async function teachingBench(): Promise<void> {
  const bench = await makePacket();
  if (!existsSync('/usr/bin/chromium')) { console.log('# Chromium teaching: skipped (no /usr/bin/chromium)'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'lucid-teaching-bench-'));
  const path = join(dir, 'bench-100.lucid.zip');
  writeFileSync(path, bench.packet);
  const { startHarness, stopHarness } = await import('../test/e2e/harness');
  const h = await startHarness(PORT, [], 'preview');
  try {
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await context.addInitScript(MARKS_SCRIPT);
    const page = await context.newPage();
    await page.goto(`${h.url}?empty#/author`);
    await page.waitForSelector('[data-testid=import-packet]', { state: 'attached' });
    await dbStats(page); // the app has created its database
    const before = await usage(page);

    // (a) import
    await page.locator('[data-testid=import-packet]').setInputFiles(path);
    const imp = await timeUntil(page, 'import-packet', { casesListed: CASES });
    const after = await usage(page);
    const stats = await dbStats(page);

    // (b) open the set after a reload; open a case cold (first after the reload) and a second one of the other modality
    const openSet: number[] = [], openLong: number[] = [], cold: number[] = [], warm: number[] = [], caseLong: number[] = [];
    const ofModality = (m: string) => bench.cases.flatMap((c, i) => (c.series[0]!.modality === m && !c.title.includes('second look') ? [i] : []));
    const ct = ofModality('CT'), mr = ofModality('MR');
    for (let r = 0; r < REPEATS; r++) {
      await page.reload();
      await page.waitForSelector(`[data-testid=set-select] option[value="${bench.setId}"]`, { state: 'attached' });
      await page.selectOption('[data-testid=set-select]', bench.setId);
      const o = await timeUntil(page, 'set-select', { casesListed: CASES });
      openSet.push(o.ms); openLong.push(o.longest);
      const first = ct[(r * 5) % ct.length]!;
      const next = mr.slice(r).find((j) => keySliceOf(j) !== keySliceOf(first))!; // another slice: the overlay must change
      for (const [i, into] of [[first, cold], [next, warm]] as const) {
        await page.locator('[data-testid=case-item] button.link').nth(i).click();
        const t = await timeUntil(page, 'case-item', { sliceShown: `Slice ${keySliceOf(i) + 1}/${SLICES}` });
        into.push(t.ms); caseLong.push(t.longest);
      }
    }

    // (c) export
    const exp: number[] = [], expLong: number[] = [];
    let exported = 0;
    for (let r = 0; r < Math.min(3, REPEATS); r++) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.click('[data-testid=export-packet]')]);
      const t = await timeUntil(page, 'export-packet', { downloadAfter: 'export-packet' });
      exp.push(t.ms); expLong.push(t.longest);
      exported = statSync((await download.path())!).size;
      await download.delete();
    }

    const stored = Object.values(stats).reduce((s, x) => s + x.bytes, 0);
    const images = stats.images ?? { records: 0, bytes: 0 };
    console.log(`\n# Teaching set in Chromium (production build via vite preview), ${CASES} cases, ${bench.images} images`);
    console.log(`import ${CASES}-case packet (${mb(bench.packet.length)}, ${bench.images} images): ${imp.ms.toFixed(0)} ms, ${longest([imp.longest])}`);
    console.log(`open the set after a reload (select → ${CASES} cases listed): ${fmt(openSet)}, ${longest(openLong)}`);
    console.log(`open a CT 512² case, first after the reload (click → key image shown): ${fmt(cold)}`);
    console.log(`open an MR 256² case next (click → key image shown): ${fmt(warm)}; ${longest(caseLong)}`);
    console.log(`export (click → download starts): ${fmt(exp)}, ${longest(expLong)}; packet ${mb(exported)} (imported ${mb(bench.packet.length)})`);
    console.log('IndexedDB store  records       bytes     per case   (binary byteLength + JSON length, as src/storage/storageStats.ts counts)');
    const row = (name: string, records: string, bytes: number) => console.log(`${name.padEnd(15)}${records.padStart(8)}  ${mb(bytes).padStart(10)}  ${kb(bytes / CASES).padStart(11)}`);
    for (const [name, s] of Object.entries(stats)) row(name, String(s.records), s.bytes);
    row('total', '', stored);
    console.log(`images stored once: ${images.records} records for ${bench.imageRefs} image references; ${mb(bench.dicomBytes)} of DICOM files`);
    console.log(`navigator.storage.estimate().usage: ${mb(before)} before import, ${mb(after)} after (+${mb(after - before)}, ${kb((after - before) / CASES)} per case)`);
    console.log('times from the user event to the DOM state, measured in the page; "longest task" = longest main-thread task (PerformanceObserver longtask, ≥ 50 ms) in that span.');
    await context.close();
  } finally {
    await stopHarness(h);
    rmSync(dir, { recursive: true, force: true });
  }
}
