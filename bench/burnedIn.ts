// Burned-in text screen benchmark (prints measured numbers; never pass/fail): detectCornerText on one frame of each
// kind the tests use, with and without text, from 256² to 2048² (a CT slice upsampled 4×, as a CR/DX plate is sized).
// Median of REPEATS runs after a warm-up over every frame (the worker sees many stored types, so the JIT does too).
import { detectCornerText } from '../src/dicom/burnedIn';
import { backgrounds, positives, type TextFrame } from '../test/fixtures/burnedInImages';
import { stamp, textMask } from '../test/fixtures/bitmapFont';
import { median } from './benchSlice';

const REPEATS = 15;

function upsample(f: TextFrame, k: number): TextFrame {
  const rows = f.rows * k, columns = f.columns * k, data = new Int16Array(rows * columns);
  for (let y = 0; y < rows; y++) for (let x = 0; x < columns; x++) data[y * columns + x] = f.data[Math.floor(y / k) * f.columns + Math.floor(x / k)]!;
  return { rows, columns, samples: 1, data };
}

export function burnedInBench(): void {
  const bgs = backgrounds();
  const withText = (name: string) => [...positives(bgs)].find((p) => p.label.startsWith(name) && p.label.includes('×2 top-left 2%'))!.frame;
  const ct = bgs.find((b) => b.name.startsWith('CT int16'))!.frame;
  const big = upsample(ct, 4), bigText = { ...big, data: big.data.slice() };
  stamp(bigText.data, textMask(2048, 2048, 'DOE^JANE 12/03/1961', 60, 60, 6), [3071]);
  const frames: [string, TextFrame][] = [
    ...bgs.map((b): [string, TextFrame] => [`${b.name}, no text`, b.frame]),
    ...bgs.map((b): [string, TextFrame] => [`${b.name}, text`, withText(b.name)]),
    ['CT int16 2048² (512² × 4), no text', big],
    ['CT int16 2048² (512² × 4), text', bigText],
  ];
  for (let i = 0; i < 3; i++) for (const [, f] of frames) detectCornerText(f);
  console.log(`\n# Burned-in text screen (detectCornerText), Node ${process.version}: median of ${REPEATS} runs, one frame`);
  console.log('frame                                             ms    found');
  for (const [name, f] of frames) {
    const t: number[] = [];
    let found = false;
    for (let i = 0; i < REPEATS; i++) { const t0 = performance.now(); found = detectCornerText(f).found; t.push(performance.now() - t0); }
    console.log(`${name.padEnd(46)} ${median(t).toFixed(2).padStart(7)}    ${found ? 'yes' : 'no'}`);
  }
}
