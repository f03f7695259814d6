// What keeps a case from being ready to teach with, as a list of problems a person can fix. Pure; the author view
// shows them beside the case and a set's preview/export names the cases that are not ready. Structural checks of
// imported files live in the packet reader; these are the educator-facing rules.
import type { Case, ImageRef, TeachingSet } from './model';
import { regionBounds } from './regions';

export interface CaseProblem {
  /** 'error' blocks a trainee from answering the case; 'warning' is shown but allowed. */
  level: 'error' | 'warning';
  /** Where to look: a field name or `finding:<id>`. */
  where: string;
  message: string;
}

/** Image size lookup (rows, columns) by SOP Instance UID, when the images are loaded; unknown → not checked. */
export type SizeOf = (sopInstanceUID: string) => { rows: number; columns: number } | undefined;

export function validateCase(c: Case, set: TeachingSet | null, sizeOf: SizeOf = () => undefined): CaseProblem[] {
  const out: CaseProblem[] = [];
  const err = (where: string, message: string) => out.push({ level: 'error', where, message });
  const warn = (where: string, message: string) => out.push({ level: 'warning', where, message });
  if (!c.title.trim()) err('title', 'The case has no title.');
  if (c.series.length === 0) err('series', 'Add at least one series from the loaded studies.');
  if (!c.question.trim()) err('question', 'Write the question the trainee answers.');
  if (c.findings.length === 0) warn('findings', 'No findings: the case can only be answered as normal.');
  if (!c.diagnosis.trim()) warn('diagnosis', 'No diagnosis given.');
  const inCase = new Set(c.series.flatMap((s) => s.sopInstanceUIDs));
  const known = (r: ImageRef) => inCase.has(r.sopInstanceUID);
  c.keyImages.forEach((k, i) => { if (!known(k)) err(`keyImages.${i}`, 'A key image is not in the case\'s series.'); });
  for (const f of c.findings) {
    const where = `finding:${f.id}`;
    const name = f.label || 'unlabelled finding';
    if (!known(f.image)) err(where, `“${name}” is on an image that is not in the case's series.`);
    if (!f.label.trim()) err(where, 'A finding has no label.');
    else if (set && !set.vocabulary.includes(f.label)) warn(where, `“${f.label}” is not in the set's vocabulary.`);
    if (!f.explanation.trim()) warn(where, `“${name}” has no explanation for the trainee.`);
    if (f.toleranceMm !== null && !(f.toleranceMm >= 0 && Number.isFinite(f.toleranceMm))) err(where, `“${name}” has an invalid tolerance.`);
    if (f.region.kind === 'freehand' && f.region.points.length < 3) err(where, `“${name}”: a freehand region needs at least 3 points.`);
    const size = sizeOf(f.image.sopInstanceUID);
    if (size) {
      const [x0, y0, x1, y1] = regionBounds(f.region);
      if (x1 < 0 || y1 < 0 || x0 > size.columns || y0 > size.rows) err(where, `“${name}” lies outside the image.`);
    }
  }
  return out;
}

/** True when no problem blocks the case. */
export const isReady = (problems: CaseProblem[]) => problems.every((p) => p.level !== 'error');
