// The UI's result cache stays within its byte budget, dropping the least recently used first (issue 13: the anomaly
// results map was never evicted).
import { describe, expect, it } from 'vitest';
import { createLruCache } from '../../../src/inference/lruCache';

const sized = (n: number) => ({ scores: new Float32Array(n) });
const bytes = (v: { scores: Float32Array }) => v.scores.byteLength;

describe('createLruCache', () => {
  it('keeps the total within budget by dropping the least recently used', () => {
    const c = createLruCache<string, { scores: Float32Array }>(3 * 400, bytes);
    for (const k of ['a', 'b', 'c']) c.set(k, sized(100));
    expect(c.bytes).toBe(1200);
    c.get('a'); // used: now b is the oldest
    c.set('d', sized(100));
    expect(c.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((k) => c.has(k))).toBe(true);
    expect(c.size).toBe(3);
    expect(c.bytes).toBe(1200);
  });

  it('peek does not count as use; replacing a key re-counts its bytes', () => {
    const c = createLruCache<string, { scores: Float32Array }>(800, bytes);
    c.set('a', sized(100));
    c.set('b', sized(100));
    c.peek('a');
    c.set('b', sized(50)); // replaced: 400 + 200 bytes
    expect(c.bytes).toBe(600);
    c.set('c', sized(100)); // 1000 > 800: a (oldest, peeked only) goes
    expect(c.has('a')).toBe(false);
    expect(c.bytes).toBe(600);
  });

  it('keeps the newest entry even when it alone is over budget', () => {
    const c = createLruCache<string, { scores: Float32Array }>(100, bytes);
    c.set('a', sized(10));
    c.set('big', sized(1000));
    expect(c.has('a')).toBe(false);
    expect(c.peek('big')?.scores.length).toBe(1000);
    expect(c.size).toBe(1);
  });

  it('stays bounded over a long session of screened slices', () => {
    const c = createLruCache<number, { scores: Float32Array }>(64 * 4096, bytes);
    for (let i = 0; i < 1000; i++) c.set(i, sized(4096)); // 16 KiB each
    expect(c.bytes).toBeLessThanOrEqual(64 * 4096);
    expect(c.size).toBe(16);
    expect(c.has(999) && c.has(984) && !c.has(983)).toBe(true);
  });
});
