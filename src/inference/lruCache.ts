// A byte-bounded least-recently-used cache for results held on the UI thread (anomaly score maps: 1 MiB per 512²
// slice, so a few long series would otherwise keep growing for the whole session). Reading with `get` marks an entry
// as used; `peek` does not (listing a series' results must not reorder them). Pure, thread-neutral.

export interface LruCache<K, V> {
  get(key: K): V | undefined;
  peek(key: K): V | undefined;
  has(key: K): boolean;
  /** Adds or replaces, then drops the least recently used entries until the total is within budget (never the new one). */
  set(key: K, value: V): void;
  readonly size: number;
  readonly bytes: number;
}

export function createLruCache<K, V>(budgetBytes: number, sizeOf: (v: V) => number): LruCache<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<K, { value: V; bytes: number }>();
  let bytes = 0;
  const remove = (key: K) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.bytes;
    entries.delete(key);
  };
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    peek: (key) => entries.get(key)?.value,
    has: (key) => entries.has(key),
    set(key, value) {
      remove(key);
      const e = { value, bytes: sizeOf(value) };
      entries.set(key, e);
      bytes += e.bytes;
      for (const oldest of entries.keys()) {
        if (bytes <= budgetBytes || oldest === key) break;
        remove(oldest);
      }
    },
    get size() { return entries.size; },
    get bytes() { return bytes; },
  };
}
