// Robustness benchmark (numbers only, never pass/fail): the worst file of each class of hostile or slow input the
// loader was hardened against (issue 12), built in code, each inspected (all frames) in its own child process
// (bench/robustnessChild.ts) so its time and peak memory are its own. Prints class, file, bytes, result, ms,
// peak RSS above the child's baseline, the largest legitimate frame (Rows × Columns × Samples × Bits Allocated / 8
// of the DICOM header) and peak / frame. Node only.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInstance } from '../src/dicom/parseInstance';
import { TS_UID } from '../src/dicom/transferSyntax';
import { encapsulate, writeDicom } from '../src/dicom/writeDicom';
import { deflatedFile, deflatedZeroImage, bombImageHeader, elementHeader, zeros } from '../test/fixtures/deflateBombs';
import { frameOf, headerElements, paletteFanOut, paletteImage, patchJ2kSize, patchJpegSize, wrapFrame } from '../test/fixtures/hostileDicom';
import { imageElements, pattern, type ImageSpec } from '../test/fixtures/makeImage';
import type { RobustnessChildResult } from './robustnessChild';

const MiB = 2 ** 20;
const TIMEOUT_MS = 120000;

/** The frame a file's DICOM header declares: rows, columns, samples, bits allocated. */
type Frame = [rows: number, columns: number, samples: number, bitsAllocated: number];
interface BenchFile { cls: string; file: string; frame: Frame; build: () => Uint8Array | Promise<Uint8Array> }

/** The implicit-VR header file cut one byte into Slice Thickness (dicom-parser runs the element past the end). */
function cutInsideSliceThickness(rows: number, columns: number): Uint8Array {
  const file = writeDicom(headerElements([], rows, columns), { transferSyntaxUID: TS_UID.implicitLE });
  return file.slice(0, parseInstance(file).dataSet.elements.x00180050!.dataOffset + 1);
}

/** A 16384² 16-bit RLE image whose values change every 16 columns and 16 rows: two 32 MiB PackBits segments. */
function rle16384(): Uint8Array {
  const n = 16384, runsPerRow = n / 16, segment = n * runsPerRow * 2;
  const frame = new Uint8Array(64 + 2 * segment);
  const dv = new DataView(frame.buffer);
  dv.setUint32(0, 2, true); dv.setUint32(4, 64, true); dv.setUint32(8, 64 + segment, true);
  for (let plane = 0; plane < 2; plane++) { // PS3.5 G.2: most significant byte first
    let p = 64 + plane * segment;
    for (let r = 0; r < n; r++) {
      for (let run = 0; run < runsPerRow; run++) {
        const v = (run * 37 + (r >> 4) * 11) & 0xffff;
        frame[p++] = 257 - 16; // replicate the next byte 16 times
        frame[p++] = plane === 0 ? v >> 8 : v & 0xff;
      }
    }
  }
  const spec: ImageSpec = { rows: n, columns: n, bitsAllocated: 16, values: new Uint16Array(0) };
  return writeDicom(imageElements(spec, encapsulate([frame])), { transferSyntaxUID: TS_UID.rle });
}

/** A 16384² 1-bit native image (32 MiB of packed bits, stripes). */
function bits16384(): Uint8Array {
  const n = 16384, packed = new Uint8Array((n * n) / 8);
  for (let k = 0; k < packed.length; k++) packed[k] = (k >> 11) & 1 ? 0xf0 : 0x0f;
  return writeDicom(imageElements({ rows: n, columns: n, bitsAllocated: 1, values: new Uint8Array(0) }, packed), { transferSyntaxUID: TS_UID.explicitLE });
}

const N = 32;
const GREY8: ImageSpec = { rows: N, columns: N, bitsAllocated: 8, values: Uint8Array.from(pattern(N, N, 0, 255)) };
const GREY12: ImageSpec = { rows: N, columns: N, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(N, N, 0, 4095)) };
const GREY16: ImageSpec = { rows: N, columns: N, bitsAllocated: 16, values: Uint16Array.from(pattern(N, N, 0, 65535)) };
const CODECS: [string, string, ImageSpec, 'jpeg' | 'j2k'][] = [
  ['JPEG baseline', TS_UID.jpegBaseline, GREY8, 'jpeg'], ['JPEG extended 12-bit', TS_UID.jpegExtended, GREY12, 'jpeg'],
  ['JPEG lossless', TS_UID.jpegLossless, GREY16, 'jpeg'], ['JPEG-LS', TS_UID.jpegLS, GREY16, 'jpeg'],
  ['JPEG 2000', TS_UID.j2kLossless, GREY16, 'j2k'], ['HTJ2K', TS_UID.htj2kLossless, GREY16, 'j2k'],
];

const FILES: BenchFile[] = [
  { cls: '1 header', file: 'implicit VR 1024² × 2, cut inside Slice Thickness', frame: [1024, 1024, 1, 16], build: () => cutInsideSliceThickness(1024, 1024) },
  {
    cls: '1 header', file: 'Pixel Spacing 1 value, IPP 2, IOP 5 (1024² × 2)', frame: [1024, 1024, 1, 16],
    build: () => writeDicom(headerElements([
      { tag: 0x00280030, vr: 'DS', value: '0.5' }, { tag: 0x00200032, vr: 'DS', value: '1\\2' }, { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1' },
    ], 1024, 1024), { transferSyntaxUID: TS_UID.explicitLE }),
  },
  ...CODECS.map(([name, ts, spec, kind]): BenchFile => ({
    cls: '2 codec header', file: `${name}: 65535² codestream in a ${N}² file`, frame: [N, N, 1, spec.bitsAllocated],
    build: async () => wrapFrame(spec, ts, (kind === 'jpeg' ? patchJpegSize : patchJ2kSize)(await frameOf(spec, ts), 65535, 65535)),
  })),
  { cls: '3 palette', file: 'segmented LUT fanning out 200⁴ (4² image)', frame: [4, 4, 1, 8], build: () => paletteImage(paletteFanOut(200, 4)) },
  {
    cls: '3 palette', file: 'valid 65536-entry LUT of 256 segments (4² image)', frame: [4, 4, 1, 8],
    build: () => { const w = [0, 1, 0]; for (let k = 1; k <= 255; k++) w.push(1, 257, k * 257); return paletteImage(Uint16Array.from(w)); },
  },
  { cls: '4 deflate', file: 'private OB declaring 4 GiB, 64 MiB of zeros', frame: [4, 4, 1, 16], build: () => deflatedFile([bombImageHeader(4, 4), elementHeader(0x00091010, 'OB', 0xfffffff0), ...zeros(64 * MiB)]) },
  { cls: '4 deflate', file: '256 MiB of zeros after a header', frame: [4, 4, 1, 16], build: () => deflatedFile([bombImageHeader(4, 4), ...zeros(256 * MiB)]) },
  { cls: '4 deflate', file: 'valid 8192² × 7 frames of zeros (896 MiB inflated, cap 1 GiB)', frame: [8192, 8192, 1, 16], build: () => deflatedZeroImage(8192, 8192, 7) },
  { cls: '6 slow valid', file: 'RLE 16384² 16-bit', frame: [16384, 16384, 1, 16], build: rle16384 },
  { cls: '6 slow valid', file: '1-bit 16384² native', frame: [16384, 16384, 1, 1], build: bits16384 },
];

function runChild(path: string): Promise<RobustnessChildResult> {
  return new Promise((resolve) => {
    const child = fork(join(import.meta.dirname, 'robustnessChild.ts'), [path], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let got: RobustnessChildResult | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('message', (m: RobustnessChildResult) => { got = m; });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(got ?? { result: signal === 'SIGKILL' ? `killed after ${TIMEOUT_MS / 1000} s` : `crash (exit ${code ?? signal})`, message: '', ms: NaN, peakBytes: NaN, baselineBytes: NaN, floorBytes: NaN });
    });
  });
}

export async function robustnessBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lucid-robustness-'));
  console.log('\n# Robustness (issue 12): each file inspected (all frames) in its own process; peak = max RSS above the RSS before reading it');
  console.log(`${'class'.padEnd(15)} ${'file'.padEnd(56)} ${'bytes'.padStart(10)} ${'result'.padEnd(28)} ${'ms'.padStart(8)} ${'peak MiB'.padStart(9)} ${'floor MiB'.padStart(9)} ${'frame MiB'.padStart(10)} ${'peak/frame'.padStart(10)}`);
  try {
    for (const f of FILES) {
      const bytes = await f.build();
      const path = join(dir, 'file.dcm');
      writeFileSync(path, bytes);
      const r = await runChild(path);
      rmSync(path);
      const [rows, columns, samples, bits] = f.frame;
      const frameMiB = (rows * columns * samples * bits) / 8 / MiB, peakMiB = r.peakBytes / MiB;
      console.log(`${f.cls.padEnd(15)} ${f.file.padEnd(56)} ${String(bytes.length).padStart(10)} ${r.result.padEnd(28)} ${r.ms.toFixed(0).padStart(8)} ` +
        `${peakMiB.toFixed(1).padStart(9)} ${(r.floorBytes / MiB).toFixed(1).padStart(9)} ${frameMiB.toFixed(frameMiB < 0.1 ? 5 : 1).padStart(10)} ${(peakMiB / frameMiB).toFixed(1).padStart(10)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('floor: the high-water mark the child had already reached above its baseline before reading the file (startup); a peak at or under it is noise.');
}
