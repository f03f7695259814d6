// Runs once before the suite: the bundled sample study must exist for the end-to-end tests (a fresh clone has
// none until `npm start` writes it).
import { ensureSample } from '../scripts/writeSample';

export default function setup(): void {
  console.log(ensureSample());
}
