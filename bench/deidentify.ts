// De-identification throughput (prints measured numbers): the engine on the bundled sample study, the real
// studyforrest MR series (when ../shared/data is there) and a 300-slice 512² CT series, per file and in MB/s.
// Node, same code as the decode worker. Run: BENCH_ONLY=deid npm run bench
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deidentify } from '../src/dicom/deidentify/deidentify';

function measure(name: string, files: Uint8Array[]): void {
  const secret = new Uint8Array(32).fill(1);
  deidentify(files[0]!, secret); // warm-up
  const bytes = files.reduce((s, f) => s + f.length, 0);
  const t0 = performance.now();
  for (const f of files) deidentify(f, secret, { shiftDates: true, cleanDescriptors: true });
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(34)} ${String(files.length).padStart(5)} ${(bytes / 2 ** 20).toFixed(1).padStart(9)} ${(ms / files.length).toFixed(2).padStart(9)} ${(bytes / 1e6 / (ms / 1000)).toFixed(0).padStart(7)}`);
}

const readDir = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.dcm')).sort().map((f) => new Uint8Array(readFileSync(join(dir, f))));

export function deidentifyBench(ctSeries: Uint8Array[]): void {
  console.log('\n# De-identification (PS3.15 Basic Profile + shift dates + clean descriptors), Node');
  console.log('input                              files  file MiB  ms/file    MB/s');
  if (existsSync('public/sample')) measure('bundled sample study (CT + MR)', readDir('public/sample'));
  const real = '../shared/data/dicom/mr-t1-studyforrest';
  if (existsSync(real)) measure('studyforrest T1 MR (real)', readDir(real));
  if (ctSeries.length) measure(`generated CT, ${ctSeries.length} × 512²`, ctSeries);
}
