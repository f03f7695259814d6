import { describe, expect, it } from 'vitest';
import { emptyCase, emptySet, type Case, type ImageRef, type SeriesRef } from '../../../src/teaching/model';
import { makeFinding, moveItem, performCase, type CaseAction } from '../../../src/teaching/caseActions';
import { regionBounds } from '../../../src/teaching/regions';
import { duplicateCase, performSet, relabelCase } from '../../../src/teaching/setActions';
import { isReady, validateCase } from '../../../src/teaching/validateCase';
import { commit, redo, startHistory, undo } from '../../../src/teaching/history';

const series = (uid: string, n: number): SeriesRef => ({
  studyInstanceUID: 'st', seriesInstanceUID: uid, modality: 'CT', description: uid,
  sopInstanceUIDs: Array.from({ length: n }, (_, i) => `${uid}.${i + 1}`),
});
const img = (s: string, i: number): ImageRef => ({ studyInstanceUID: 'st', seriesInstanceUID: s, sopInstanceUID: `${s}.${i}`, frame: 0 });

function readyCase(): Case {
  let c = emptyCase('set1', 0, 'c1');
  c = performCase(c, { type: 'add-series', series: series('s1', 3) }, 1);
  c = performCase(c, { type: 'set-field', field: 'question', value: 'What do you see?' }, 2);
  c = performCase(c, { type: 'add-finding', finding: { ...makeFinding('f1', img('s1', 2), { kind: 'point', point: { x: 10, y: 20 } }, 'nodule'), explanation: 'x' } }, 3);
  return performCase(c, { type: 'set-field', field: 'diagnosis', value: 'Hamartoma' }, 4);
}

describe('performCase', () => {
  it('returns the same object when nothing changes, so no undo step is recorded', () => {
    const c = readyCase();
    expect(performCase(c, { type: 'set-field', field: 'question', value: 'What do you see?' }, 9)).toBe(c);
    expect(performCase(c, { type: 'add-series', series: series('s1', 3) }, 9)).toBe(c);
    expect(performCase(c, { type: 'remove-finding', id: 'nope' }, 9)).toBe(c);
    expect(performCase(c, { type: 'update-finding', id: 'f1', patch: { label: 'nodule' } }, 9)).toBe(c);
  });
  it('stamps updatedAt and never mutates the input', () => {
    const c = readyCase();
    const frozen = JSON.stringify(c);
    const d = performCase(c, { type: 'update-finding', id: 'f1', patch: { difficulty: 5, explanation: 'Fat inside' } }, 42);
    expect(JSON.stringify(c)).toBe(frozen);
    expect(d.updatedAt).toBe(42);
    expect(d.findings[0]).toMatchObject({ difficulty: 5, explanation: 'Fat inside', region: { kind: 'point', point: { x: 10, y: 20 } } });
  });
  it('removing a series drops its findings and key images', () => {
    let c = performCase(readyCase(), { type: 'add-series', series: series('s2', 2) }, 5);
    c = performCase(c, { type: 'toggle-key-image', image: img('s1', 2) }, 6);
    c = performCase(c, { type: 'toggle-key-image', image: img('s2', 1) }, 7);
    c = performCase(c, { type: 'remove-series', seriesInstanceUID: 's1' }, 8);
    expect(c.series.map((s) => s.seriesInstanceUID)).toEqual(['s2']);
    expect(c.findings).toEqual([]);
    expect(c.keyImages).toEqual([img('s2', 1)]);
  });
  it('toggling a key image twice removes it', () => {
    const c = readyCase();
    const once = performCase(c, { type: 'toggle-key-image', image: img('s1', 1) }, 5);
    expect(once.keyImages).toHaveLength(1);
    expect(performCase(once, { type: 'toggle-key-image', image: img('s1', 1) }, 6).keyImages).toHaveLength(0);
  });
  it('undo and redo through the history restore every step exactly', () => {
    let h = startHistory(readyCase());
    const steps: CaseAction[] = [
      { type: 'set-field', field: 'history', value: '60 y smoker' },
      { type: 'update-finding', id: 'f1', patch: { region: { kind: 'box', corners: [{ x: 1, y: 2 }, { x: 30.5, y: 40.25 }] } } },
      { type: 'add-finding', finding: makeFinding('f2', img('s1', 3), { kind: 'ellipse', corners: [{ x: 5, y: 5 }, { x: 9, y: 7 }] }, 'cyst') },
      { type: 'move-finding', id: 'f2', to: 0 },
    ];
    const states = [h.present];
    steps.forEach((a, i) => { h = commit(h, performCase(h.present, a, 10 + i)); states.push(h.present); });
    expect(h.present.findings.map((f) => f.id)).toEqual(['f2', 'f1']);
    for (let i = states.length - 2; i >= 0; i--) { h = undo(h); expect(h.present).toEqual(states[i]); }
    for (let i = 1; i < states.length; i++) { h = redo(h); expect(h.present).toEqual(states[i]); }
  });
});

describe('moveItem', () => {
  it('moves, clamps, and keeps every item exactly once', () => {
    const list = ['a', 'b', 'c', 'd'];
    expect(moveItem(list, 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(list, 3, -5)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(list, 1, 99)).toEqual(['a', 'c', 'd', 'b']);
    expect(moveItem(list, 2, 2)).toBe(list);
    expect(moveItem(list, -1, 0)).toBe(list);
    for (let from = 0; from < 4; from++) for (let to = -1; to < 6; to++) expect([...moveItem(list, from, to)].sort()).toEqual(list);
  });
});

describe('sets', () => {
  it('add, reorder, remove cases; vocabulary edits', () => {
    let s = emptySet(0, 'set1');
    for (const id of ['a', 'b', 'c']) s = performSet(s, { type: 'add-case', caseId: id }, 1);
    s = performSet(s, { type: 'move-case', caseId: 'c', to: 0 }, 2);
    expect(s.caseIds).toEqual(['c', 'a', 'b']);
    s = performSet(s, { type: 'remove-case', caseId: 'a' }, 3);
    expect(s.caseIds).toEqual(['c', 'b']);
    expect(performSet(s, { type: 'add-case', caseId: 'b' }, 4)).toBe(s);
    s = performSet(s, { type: 'add-label', label: '  bronchiectasis ' }, 5);
    expect(s.vocabulary).toContain('bronchiectasis');
    expect(performSet(s, { type: 'add-label', label: 'bronchiectasis' }, 6)).toBe(s);
    expect(performSet(s, { type: 'rename-label', from: 'nodule', to: 'mass' }, 6)).toBe(s); // 'mass' exists
    s = performSet(s, { type: 'rename-label', from: 'nodule', to: 'pulmonary nodule' }, 7);
    expect(s.vocabulary).toContain('pulmonary nodule');
    expect(s.vocabulary).not.toContain('nodule');
  });
  it('duplicating a case gives new ids, same images, inserted after the original', () => {
    let s = emptySet(0, 'set1');
    for (const id of ['c1', 'c9']) s = performSet(s, { type: 'add-case', caseId: id }, 1);
    let n = 0;
    const { set, copy } = duplicateCase(s, readyCase(), () => `new${n++}`, 50);
    expect(set.caseIds).toEqual(['c1', 'new0', 'c9']);
    expect(copy.id).toBe('new0');
    expect(copy.findings.map((f) => f.id)).toEqual(['new1']);
    expect(copy.findings[0]!.region).toEqual(readyCase().findings[0]!.region);
    expect(copy.series).toEqual(readyCase().series);
  });
  it('relabels findings that use a renamed label', () => {
    const c = relabelCase(readyCase(), 'nodule', 'pulmonary nodule');
    expect(c.findings[0]!.label).toBe('pulmonary nodule');
    expect(relabelCase(c, 'nodule', 'x')).toBe(c);
  });
});

describe('validateCase', () => {
  it('a complete case is ready; the empty case is not, and says why', () => {
    const set = emptySet(0, 'set1');
    expect(isReady(validateCase(readyCase(), set))).toBe(true);
    const problems = validateCase(emptyCase('set1', 0), set);
    expect(isReady(problems)).toBe(false);
    expect(problems.filter((p) => p.level === 'error').map((p) => p.where).sort()).toEqual(['question', 'series']);
  });
  it('flags findings on images outside the case, outside the image, or with labels outside the vocabulary', () => {
    let c = readyCase();
    c = performCase(c, { type: 'add-finding', finding: makeFinding('f2', img('other', 1), { kind: 'point', point: { x: 1, y: 1 } }, 'nodule') }, 5);
    c = performCase(c, { type: 'add-finding', finding: makeFinding('f3', img('s1', 1), { kind: 'box', corners: [{ x: 600, y: 600 }, { x: 700, y: 700 }] }, 'made-up') }, 6);
    const problems = validateCase(c, emptySet(0, 'set1'), () => ({ rows: 512, columns: 512 }));
    expect(problems.some((p) => p.where === 'finding:f2' && p.level === 'error' && /not in the case/.test(p.message))).toBe(true);
    expect(problems.some((p) => p.where === 'finding:f3' && p.level === 'error' && /outside the image/.test(p.message))).toBe(true);
    expect(problems.some((p) => p.where === 'finding:f3' && p.level === 'warning' && /vocabulary/.test(p.message))).toBe(true);
  });
  it('region bounds cover every region kind', () => {
    expect(regionBounds({ kind: 'point', point: { x: 3, y: 4 } })).toEqual([3, 4, 3, 4]);
    expect(regionBounds({ kind: 'box', corners: [{ x: 9, y: 1 }, { x: 2, y: 8 }] })).toEqual([2, 1, 9, 8]);
    expect(regionBounds({ kind: 'freehand', points: [{ x: 0, y: 5 }, { x: 4, y: -1 }, { x: 2, y: 2 }] })).toEqual([0, -1, 4, 5]);
  });
});

describe('model output attachments', () => {
  const att = (id: string, modelId: 'anomaly' | 'denoise', sop: number) => ({
    id, modelId, modelSha256: 'a'.repeat(64), source: img('s1', sop), kind: modelId === 'anomaly' ? 'anomaly-map' as const : 'enhanced' as const,
    rows: 4, columns: 4, dataKey: `k-${id}`, createdAt: 1,
  });
  it('attaching the same model on the same image again replaces the earlier output; other models and images stay', () => {
    let c = readyCase();
    c = performCase(c, { type: 'add-attachment', attachment: att('a1', 'anomaly', 1) }, 5);
    c = performCase(c, { type: 'add-attachment', attachment: att('a2', 'denoise', 1) }, 6);
    c = performCase(c, { type: 'add-attachment', attachment: att('a3', 'anomaly', 2) }, 7);
    c = performCase(c, { type: 'add-attachment', attachment: att('a4', 'anomaly', 1) }, 8);
    expect(c.attachments.map((a) => a.id)).toEqual(['a2', 'a3', 'a4']);
    expect(performCase(c, { type: 'add-attachment', attachment: att('a4', 'anomaly', 1) }, 9)).toBe(c);
    c = performCase(c, { type: 'remove-attachment', id: 'a3' }, 10);
    expect(c.attachments.map((a) => a.id)).toEqual(['a2', 'a4']);
  });
  it('removing a series drops its attachments', () => {
    let c = performCase(readyCase(), { type: 'add-attachment', attachment: att('a1', 'anomaly', 1) }, 5);
    c = performCase(c, { type: 'remove-series', seriesInstanceUID: 's1' }, 6);
    expect(c.attachments).toEqual([]);
  });
});

describe('duplicateSet', () => {
  it('copies every case in order with fresh ids, sharing images and outputs', async () => {
    const { duplicateSet } = await import('../../../src/teaching/setActions');
    let s = emptySet(0, 'set1');
    const a = readyCase(), b = { ...readyCase(), id: 'c2', title: 'Second' };
    b.attachments = [{ id: 'at', modelId: 'anomaly', modelSha256: 'a'.repeat(64), source: img('s1', 1), kind: 'anomaly-map', rows: 2, columns: 2, dataKey: 'k1', createdAt: 0 }];
    s = performSet(performSet(s, { type: 'add-case', caseId: 'c2' }, 1), { type: 'add-case', caseId: 'c1' }, 1);
    let n = 0;
    const { set, cases } = duplicateSet(s, [a, b], () => `n${n++}`, 9);
    expect(set.id).toBe('n0');
    expect(set.title).toBe('Untitled teaching set (copy)');
    expect(cases.map((c) => c.title)).toEqual(['Second', a.title]);
    expect(set.caseIds).toEqual(cases.map((c) => c.id));
    expect(cases.every((c) => c.setId === 'n0')).toBe(true);
    const ids = [set.id, ...cases.map((c) => c.id), ...cases.flatMap((c) => c.findings.map((f) => f.id)), ...cases.flatMap((c) => c.attachments.map((x) => x.id))];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => ['set1', 'c1', 'c2', 'f1', 'at'].includes(id))).toBe(false);
    expect(cases[0]!.attachments[0]!.dataKey).toBe('k1');
    expect(cases[1]!.series).toEqual(a.series);
    expect(s.caseIds).toEqual(['c2', 'c1']); // the original is untouched
  });
});
