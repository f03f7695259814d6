// Generates public/sample/*.dcm and public/sample/index.json from the synthetic phantom (see src/dicom/synthetic).
// Used by `npm start`, `npm run build` and the test setup; does nothing when the current version is present.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { makeSampleStudy } from '../src/dicom/synthetic/sampleStudy';

/** Bump whenever makeSampleStudy's output changes, so a stale public/sample is rewritten. 2: (0012,0062) YES. */
const VERSION = 2;

export function ensureSample(dir = 'public/sample'): string {
  const indexPath = `${dir}/index.json`;
  if (existsSync(indexPath)) {
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { version: number };
    if (index.version === VERSION) return 'sample study: present';
  }
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  const files = makeSampleStudy();
  for (const f of files) writeFileSync(`${dir}/${f.name}`, f.bytes);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.bytes);
  writeFileSync(indexPath, JSON.stringify({ version: VERSION, files: files.map((f) => f.name), sha256: hash.digest('hex') }, null, 1));
  return `sample study: ${files.length} files written to ${dir} in ${Math.round(performance.now() - t0)} ms`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(ensureSample());
