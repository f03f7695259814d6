// The progress file: a learner's attempts round-trip exactly (gzipped, or as plain JSON), and hostile or damaged
// files fail with the named error for what is wrong (format, version, fields with their JSON path, sizes).
import { describe, expect, it } from 'vitest';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { PROGRESS_ERROR_NAMES } from '../../../src/shared/errors';
import { PROGRESS_FORMAT, PROGRESS_LIMITS, PROGRESS_SCHEMA_VERSION, readProgress, writeProgress } from '../../../src/teaching/progressFile';
import { T0, attempt, learner } from '../../fixtures/attempts';

const attempts = [
  attempt({ id: 'a1', hits: 1, misses: 1, falseMarks: 2, locMm: 3.25, confidence: 5 }),
  attempt({ id: 'a2', hits: 0, misses: 0, labels: [], difficulty: null, at: T0 + 1000 }),
  { ...attempt({ id: 'a3', at: T0 + 2000 }), synthetic: true, setId: null, stimulus: { contrast: 12.5, cnr: 1.5, diameterMm: 4 } },
];
const good = () => JSON.parse(JSON.stringify({ format: PROGRESS_FORMAT, schemaVersion: 1, exportedAt: T0, learner: learner(), attempts })) as {
  learner: Record<string, unknown>; attempts: Record<string, unknown>[]; [k: string]: unknown;
};
const bytes = (v: unknown) => strToU8(JSON.stringify(v));
const fails = (b: Uint8Array, name: string, message?: RegExp, limits = PROGRESS_LIMITS) => {
  expect(() => readProgress(b, limits)).toThrow(expect.objectContaining({ name, ...(message ? { message: expect.stringMatching(message) } : {}) }));
};

describe('round trip', () => {
  it('reads back exactly what was written: learner, attempts, marks, scores, stimulus', () => {
    const file = writeProgress(learner(), attempts, T0 + 5000);
    expect([file[0], file[1]]).toEqual([0x1f, 0x8b]); // gzip
    expect(readProgress(file)).toEqual({ format: PROGRESS_FORMAT, schemaVersion: PROGRESS_SCHEMA_VERSION, exportedAt: T0 + 5000, learner: learner(), attempts });
  });

  it('is deterministic and reads plain (un-gzipped) JSON too', () => {
    expect(writeProgress(learner(), attempts, 1)).toEqual(writeProgress(learner(), attempts, 1));
    expect(readProgress(bytes(good())).attempts).toEqual(attempts);
  });

  it('a learner with no attempts', () => {
    expect(readProgress(writeProgress(learner(), [], 0)).attempts).toEqual([]);
  });
});

describe('hostile and damaged files', () => {
  it('every error is one of the named progress errors', () => {
    expect(PROGRESS_ERROR_NAMES).toEqual(['ProgressCorruptError', 'ProgressFormatError', 'ProgressVersionError', 'ProgressSchemaError', 'ProgressTooLargeError']);
  });

  it('not JSON, not UTF-8, a cut-short or garbled gzip: corrupt', () => {
    fails(strToU8('{"format": "lucid-progress", '), 'ProgressCorruptError', /not JSON/);
    fails(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'ProgressCorruptError', /UTF-8/);
    const file = writeProgress(learner(), attempts);
    fails(file.subarray(0, file.length - 30), 'ProgressCorruptError');
    const garbled = file.slice();
    garbled.fill(0xff, 12, 40);
    fails(garbled, 'ProgressCorruptError');
    fails(new Uint8Array(), 'ProgressCorruptError');
  });

  it('another format: a teaching packet (zip), another JSON document, a bare list', () => {
    fails(zipSync({ 'manifest.json': bytes({ format: 'lucid-packet' }) }), 'ProgressFormatError', /zip/);
    fails(bytes({ format: 'lucid-packet', schemaVersion: 1 }), 'ProgressFormatError');
    fails(bytes([good()]), 'ProgressFormatError');
    fails(bytes(null), 'ProgressFormatError');
  });

  it('a newer or nonsensical schema version', () => {
    fails(bytes({ ...good(), schemaVersion: PROGRESS_SCHEMA_VERSION + 1 }), 'ProgressVersionError', /newer Lucid/);
    for (const v of [0, '1', 1.5, null]) fails(bytes({ ...good(), schemaVersion: v }), 'ProgressVersionError');
    const newerAttempt = good();
    newerAttempt.attempts[0]!.schemaVersion = 99;
    fails(bytes(newerAttempt), 'ProgressSchemaError', /attempts\[0\]\.schemaVersion/);
  });

  it('bad fields, named by their JSON path', () => {
    const cases: [(f: ReturnType<typeof good>) => void, RegExp][] = [
      [(f) => { delete f.learner.id; }, /learner\.id is missing/],
      [(f) => { f.learner.id = ''; }, /learner\.id must not be empty/],
      [(f) => { f.extra = 1; }, /extra is not a field/],
      [(f) => { f.attempts[1]!.learnerId = 'someone-else'; }, /attempts\[1\]\.learnerId must be the file's learner/],
      [(f) => { f.attempts[2]!.id = 'a1'; }, /attempts\[2\]\.id repeats the id "a1"/],
      [(f) => { (f.attempts[0]!.marks as Record<string, unknown>[])[0]!.confidence = 7; }, /attempts\[0\]\.marks\[0\]\.confidence must be one of/],
      [(f) => { (f.attempts[0]!.marks as Record<string, unknown>[])[0]!.region = { kind: 'freehand', points: [] }; }, /region\.kind/],
      [(f) => { (f.attempts[0]!.score as Record<string, unknown>).truePositives = -1; }, /score\.truePositives/],
      [(f) => { (f.attempts[0]!.score as Record<string, unknown>).labelAccuracy = 2; }, /score\.labelAccuracy must be from 0 to 1/],
      [(f) => { (f.attempts[0]!.facets as Record<string, unknown>).difficulty = 6; }, /facets\.difficulty/],
      [(f) => { (f.attempts[0]!.facets as Record<string, unknown>).labels = 'nodule'; }, /facets\.labels must be a list/],
      [(f) => { f.attempts[0]!.submittedAt = '2026-03-02'; }, /submittedAt must be a finite number/],
      [(f) => { f.attempts[2]!.stimulus = { contrast: 1, cnr: 1 }; }, /stimulus\.diameterMm is missing/],
      [(f) => { f.attempts = { 0: {} } as never; }, /attempts must be a list/],
    ];
    for (const [spoil, message] of cases) {
      const f = good();
      spoil(f);
      fails(bytes(f), 'ProgressSchemaError', message);
    }
    // Keys JSON.parse makes own properties, and numbers JSON cannot keep finite.
    fails(strToU8(JSON.stringify(good()).replace('"exportedAt"', '"__proto__":{"polluted":1},"exportedAt"')), 'ProgressSchemaError', /__proto__ is not a field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    fails(strToU8(JSON.stringify(good()).replace(`"exportedAt":${T0}`, '"exportedAt":1e999')), 'ProgressSchemaError', /exportedAt must be a finite number/);
  });

  it('size limits: the file, what it inflates to (a gzip bomb), attempts, marks', () => {
    const small = { ...PROGRESS_LIMITS, maxFileBytes: 1000 };
    fails(new Uint8Array(1001).fill(0x20), 'ProgressTooLargeError', /larger than/, small);
    // 16 MB of spaces before the JSON gzip to ~16 kB; the inflated count stops at the 1 MB limit.
    const bomb = new Uint8Array(16 * 1024 ** 2 + 2).fill(0x20);
    bomb.set(strToU8('{}'), bomb.length - 2);
    const gz = gzipSync(bomb);
    expect(gz.length).toBeLessThan(50_000);
    fails(gz, 'ProgressTooLargeError', /unpacks to more than/, { ...PROGRESS_LIMITS, maxJsonBytes: 1024 ** 2 });
    fails(writeProgress(learner(), attempts), 'ProgressTooLargeError', /3 attempts; Lucid reads at most 2/, { ...PROGRESS_LIMITS, maxAttempts: 2 });
    fails(writeProgress(learner(), attempts), 'ProgressTooLargeError', /marks has 3 entries/, { ...PROGRESS_LIMITS, maxMarks: 2 });
  });

  it('deeply nested JSON fails by name, not with a crash', () => {
    const deep = `{"format":"lucid-progress","schemaVersion":1,"exportedAt":0,"learner":${'['.repeat(200_000)}${']'.repeat(200_000)},"attempts":[]}`;
    let name = '';
    try { readProgress(strToU8(deep)); } catch (e) { name = (e as Error).name; }
    expect(['ProgressCorruptError', 'ProgressSchemaError']).toContain(name);
  });
});
