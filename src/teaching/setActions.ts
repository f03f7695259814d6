// Authoring a teaching set as pure steps: (set, action) → new set. Case records themselves change through
// caseActions; duplicating a case copies it with fresh ids here. Pure, thread-neutral.
import type { Case, TeachingSet } from './model';
import { moveItem } from './caseActions';

export type SetField = 'title' | 'author' | 'description';

export type SetAction =
  | { type: 'set-field'; field: SetField; value: string }
  | { type: 'add-case'; caseId: string; at?: number }
  | { type: 'remove-case'; caseId: string }
  | { type: 'move-case'; caseId: string; to: number }
  | { type: 'add-label'; label: string }
  | { type: 'rename-label'; from: string; to: string }
  | { type: 'remove-label'; label: string };

export function performSet(s: TeachingSet, action: SetAction, now: number): TeachingSet {
  const next = apply(s, action);
  return next === s ? s : { ...next, updatedAt: now };
}

function apply(s: TeachingSet, a: SetAction): TeachingSet {
  switch (a.type) {
    case 'set-field':
      return s[a.field] === a.value ? s : { ...s, [a.field]: a.value };
    case 'add-case': {
      if (s.caseIds.includes(a.caseId)) return s;
      const ids = s.caseIds.slice();
      ids.splice(a.at ?? ids.length, 0, a.caseId);
      return { ...s, caseIds: ids };
    }
    case 'remove-case':
      return s.caseIds.includes(a.caseId) ? { ...s, caseIds: s.caseIds.filter((id) => id !== a.caseId) } : s;
    case 'move-case': {
      const ids = moveItem(s.caseIds, s.caseIds.indexOf(a.caseId), a.to);
      return ids === s.caseIds ? s : { ...s, caseIds: ids };
    }
    case 'add-label': {
      const label = a.label.trim();
      if (!label || s.vocabulary.includes(label)) return s;
      return { ...s, vocabulary: [...s.vocabulary, label] };
    }
    case 'rename-label': {
      const to = a.to.trim();
      if (!to || a.from === to || !s.vocabulary.includes(a.from) || s.vocabulary.includes(to)) return s;
      return { ...s, vocabulary: s.vocabulary.map((l) => (l === a.from ? to : l)) };
    }
    case 'remove-label':
      return s.vocabulary.includes(a.label) ? { ...s, vocabulary: s.vocabulary.filter((l) => l !== a.label) } : s;
  }
}

/**
 * A copy of a case for the same set, inserted after the original: new case id, new finding and attachment ids
 * (`newId` supplied so tests are deterministic), the same images (stored once, by SOP Instance UID).
 */
export function duplicateCase(s: TeachingSet, c: Case, newId: () => string, now: number): { set: TeachingSet; copy: Case } {
  const copy: Case = {
    ...c,
    id: newId(),
    title: `${c.title} (copy)`,
    findings: c.findings.map((f) => ({ ...f, id: newId() })),
    attachments: c.attachments.map((x) => ({ ...x, id: newId() })),
    createdAt: now,
    updatedAt: now,
  };
  const at = s.caseIds.indexOf(c.id);
  return { set: performSet(s, { type: 'add-case', caseId: copy.id, at: at < 0 ? undefined : at + 1 }, now), copy };
}

/** Findings using a renamed label follow the rename (applied to each case of the set by the caller). */
export function relabelCase(c: Case, from: string, to: string): Case {
  if (!c.findings.some((f) => f.label === from)) return c;
  return { ...c, findings: c.findings.map((f) => (f.label === from ? { ...f, label: to } : f)) };
}

/**
 * A copy of a whole set: new set, case, finding and attachment ids; the same images and attached outputs (both are
 * stored once and shared, so a copy costs only its records). Cases keep their order.
 */
export function duplicateSet(s: TeachingSet, cases: Case[], newId: () => string, now: number): { set: TeachingSet; cases: Case[] } {
  const setId = newId();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const copies = s.caseIds.map((id) => byId.get(id)).filter((c): c is Case => !!c).map((c) => ({
    ...c, id: newId(), setId, createdAt: now, updatedAt: now,
    findings: c.findings.map((f) => ({ ...f, id: newId() })),
    attachments: c.attachments.map((x) => ({ ...x, id: newId() })),
  }));
  return {
    set: { ...s, id: setId, title: `${s.title} (copy)`, caseIds: copies.map((c) => c.id), createdAt: now, updatedAt: now },
    cases: copies,
  };
}
