// Authoring a case as pure "perform → patch" steps (excalidraw's shape): (case, action) → new case. The UI calls
// these, keeps the result in a History, and src/storage saves it. Pure, thread-neutral, no ids minted inside
// except through the action's own fields, so tests and replays are deterministic.
import type { Case, Difficulty, Finding, ImageRef, ModelAttachment, Region, SeriesRef } from './model';
import { sameImage } from './model';

export type CaseField = 'title' | 'history' | 'question' | 'diagnosis' | 'discussion';

export type CaseAction =
  | { type: 'set-field'; field: CaseField; value: string }
  | { type: 'add-series'; series: SeriesRef }
  | { type: 'remove-series'; seriesInstanceUID: string }
  | { type: 'toggle-key-image'; image: ImageRef }
  | { type: 'add-finding'; finding: Finding }
  | { type: 'update-finding'; id: string; patch: Partial<Pick<Finding, 'label' | 'difficulty' | 'explanation' | 'toleranceMm' | 'region'>> }
  | { type: 'remove-finding'; id: string }
  | { type: 'move-finding'; id: string; to: number }
  | { type: 'add-attachment'; attachment: ModelAttachment }
  | { type: 'remove-attachment'; id: string };

/** Applies one authoring step. Returns the same object when nothing changes (no undo step is recorded then). */
export function performCase(c: Case, action: CaseAction, now: number): Case {
  const next = apply(c, action);
  return next === c ? c : { ...next, updatedAt: now };
}

function apply(c: Case, a: CaseAction): Case {
  switch (a.type) {
    case 'set-field':
      return c[a.field] === a.value ? c : { ...c, [a.field]: a.value };
    case 'add-series':
      if (c.series.some((s) => s.seriesInstanceUID === a.series.seriesInstanceUID)) return c;
      return { ...c, series: [...c.series, a.series] };
    case 'remove-series': {
      if (!c.series.some((s) => s.seriesInstanceUID === a.seriesInstanceUID)) return c;
      // Findings and key images on a removed series would point at images the case no longer carries.
      const keep = (r: ImageRef) => r.seriesInstanceUID !== a.seriesInstanceUID;
      return {
        ...c,
        series: c.series.filter((s) => s.seriesInstanceUID !== a.seriesInstanceUID),
        keyImages: c.keyImages.filter(keep),
        findings: c.findings.filter((f) => keep(f.image)),
        attachments: c.attachments.filter((x) => keep(x.source)),
      };
    }
    case 'toggle-key-image': {
      const has = c.keyImages.some((k) => sameImage(k, a.image));
      return { ...c, keyImages: has ? c.keyImages.filter((k) => !sameImage(k, a.image)) : [...c.keyImages, a.image] };
    }
    case 'add-finding':
      if (c.findings.some((f) => f.id === a.finding.id)) return c;
      return { ...c, findings: [...c.findings, a.finding] };
    case 'update-finding': {
      const i = c.findings.findIndex((f) => f.id === a.id);
      if (i < 0) return c;
      const old = c.findings[i]!;
      const updated = { ...old, ...a.patch };
      if ((Object.keys(a.patch) as (keyof Finding)[]).every((k) => updated[k] === old[k])) return c;
      const findings = c.findings.slice();
      findings[i] = updated;
      return { ...c, findings };
    }
    case 'remove-finding':
      return c.findings.some((f) => f.id === a.id) ? { ...c, findings: c.findings.filter((f) => f.id !== a.id) } : c;
    case 'move-finding':
      return { ...c, findings: moveItem(c.findings, c.findings.findIndex((f) => f.id === a.id), a.to) };
    case 'add-attachment': {
      // One output per model and image: attaching again replaces the earlier run.
      const x = a.attachment;
      if (c.attachments.some((y) => y.id === x.id)) return c;
      const rest = c.attachments.filter((y) => !(y.modelId === x.modelId && y.source.sopInstanceUID === x.source.sopInstanceUID && y.source.frame === x.source.frame));
      return { ...c, attachments: [...rest, x] };
    }
    case 'remove-attachment':
      return c.attachments.some((x) => x.id === a.id) ? { ...c, attachments: c.attachments.filter((x) => x.id !== a.id) } : c;
  }
}

/** Moves list[from] to index `to` (clamped); the same array when nothing moves. */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return list;
  const out = list.slice();
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item!);
  return out;
}

/** A finding with defaults, for the authoring UI (difficulty 3, default tolerance, first vocabulary label). */
export function makeFinding(id: string, image: ImageRef, region: Region, label: string, difficulty: Difficulty = 3): Finding {
  return { id, image, region, label, difficulty, explanation: '', toleranceMm: null };
}
