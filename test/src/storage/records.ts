// Test records and databases for the storage tests: a fresh fake-indexeddb factory per test (no global
// indexedDB), the IDB classes idb checks with instanceof installed as globals, and small synthetic records.
import * as fake from 'fake-indexeddb';
import type { Annotation, Case, ModelAttachment, TeachingSet } from '../../../src/teaching/model';
import { emptyCase, emptySet } from '../../../src/teaching/model';
import { openLucidDb, type LucidDb, type StoredImage, type StoredOutput } from '../../../src/storage/db';

// idb recognises requests, transactions and cursors with `instanceof IDBRequest` etc.: Node has no such globals.
const CLASSES = {
  IDBRequest: fake.IDBRequest, IDBOpenDBRequest: fake.IDBOpenDBRequest, IDBTransaction: fake.IDBTransaction,
  IDBDatabase: fake.IDBDatabase, IDBObjectStore: fake.IDBObjectStore, IDBIndex: fake.IDBIndex,
  IDBCursor: fake.IDBCursor, IDBCursorWithValue: fake.IDBCursorWithValue, IDBKeyRange: fake.IDBKeyRange,
};
for (const [name, value] of Object.entries(CLASSES)) {
  if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

export const STUDY = '1.2.826.0.1.3680043.8.498.1';

/** A fresh factory and database name; `reopen` closes `db` and opens the same database again (a page reload). */
export async function freshDb(name = 'lucid-test'): Promise<{ factory: IDBFactory; db: LucidDb; reopen: () => Promise<LucidDb> }> {
  const factory = new fake.IDBFactory();
  const state = { factory, db: await openLucidDb(name, factory), reopen: async () => {
    state.db.close();
    state.db = await openLucidDb(name, factory);
    return state.db;
  } };
  return state;
}

/** `size` bytes, each `fill` (so two images' bytes tell which write they came from). */
export function image(sop: string, series: string, size = 64, fill = 1): StoredImage {
  return { sopInstanceUID: sop, studyInstanceUID: STUDY, seriesInstanceUID: series, bytes: new Uint8Array(size).fill(fill).buffer };
}

export function makeSet(id: string, caseIds: string[], updatedAt = 1000): TeachingSet {
  return { ...emptySet(1000, id), title: `Set ${id}`, caseIds, updatedAt };
}

/** A case showing one series per entry of `series` (series UID → its SOP Instance UIDs, in order). */
export function makeCase(id: string, setId: string, series: Record<string, string[]>, attachments: ModelAttachment[] = []): Case {
  return {
    ...emptyCase(setId, 2000, id),
    title: `Case ${id}`,
    series: Object.entries(series).map(([uid, sops]) => ({
      studyInstanceUID: STUDY, seriesInstanceUID: uid, modality: 'CT', description: `series ${uid}`, sopInstanceUIDs: sops,
    })),
    history: '60 y, cough',
    attachments,
  };
}

export function attachment(dataKey: string, sop: string, series: string): ModelAttachment {
  return {
    id: `att-${dataKey}`, modelId: 'anomaly', modelSha256: 'ab'.repeat(32), kind: 'anomaly-map', rows: 2, columns: 3, dataKey, createdAt: 3000,
    source: { studyInstanceUID: STUDY, seriesInstanceUID: series, sopInstanceUID: sop, frame: 0 },
  };
}

export function output(key: string, first = 0.5): StoredOutput {
  return { key, rows: 2, columns: 3, values: Float32Array.from([first, 1, 2, 3, 4, 5]) };
}

export function annotation(id: string, sop: string, series: string, createdAt = 4000): Annotation {
  return {
    id, kind: 'length', label: `len ${id}`, text: '', createdAt, updatedAt: createdAt,
    image: { studyInstanceUID: STUDY, seriesInstanceUID: series, sopInstanceUID: sop, frame: 0 },
    points: [{ x: 1.5, y: 2.5 }, { x: 10, y: 20.25 }],
  };
}

/** The stored bytes as numbers, for equality checks. */
export function bytesOf(buffer: ArrayBuffer | undefined): number[] | undefined {
  return buffer ? [...new Uint8Array(buffer)] : undefined;
}

/** A raw IndexedDB request as a promise. */
export const done = <T>(request: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** Stores, key paths and indexes of a database, comparable with toEqual. */
export function layout(database: IDBDatabase | LucidDb) {
  const db = database as IDBDatabase;
  const names = Array.from(db.objectStoreNames);
  const tx = db.transaction(names, 'readonly');
  return names.map((name) => {
    const store = tx.objectStore(name);
    const indexes = Array.from(store.indexNames).map((i) => ({ name: i, keyPath: store.index(i).keyPath, unique: store.index(i).unique }));
    return { name, keyPath: store.keyPath, indexes };
  });
}
