// Writes the bundled synthetic sample study to public/sample/ (served by the app, cached for offline use).
// Runs before `npm start`/`npm run build`; skips work when the files are already there and current.
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/writeSample.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
