// The browser's storage budget for this origin: usage and quota (navigator.storage.estimate), and persistent
// storage (navigator.storage.persist), which keeps the browser from evicting teaching sets under disk pressure.
// UI thread. Absent APIs (Node, old browsers, some private windows) give null, never an exception.

export interface StorageEstimateInfo {
  /** Bytes this origin uses (all storage: IndexedDB, Cache Storage, …), as the browser estimates it. */
  usage: number;
  /** Bytes the browser allows this origin. */
  quota: number;
}

function storageManager(): StorageManager | null {
  return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null;
}

/** Usage and quota of this origin, or null when the browser cannot tell. */
export async function storageEstimate(): Promise<StorageEstimateInfo | null> {
  const manager = storageManager();
  if (!manager?.estimate) return null;
  try {
    const { usage, quota } = await manager.estimate();
    return usage === undefined || quota === undefined ? null : { usage, quota };
  } catch {
    return null;
  }
}

/**
 * Asks the browser to make this origin's storage persistent; resolves with the granted state (null when the API is
 * absent). Call it ONLY from a user action (a click on "Keep my sets on this device", the first saved set): browsers
 * grant or prompt based on engagement and a user gesture, and asking on page load is either ignored (Chromium
 * decides silently) or shows a permission prompt nobody asked for (Firefox).
 */
export async function requestPersistence(): Promise<boolean | null> {
  const manager = storageManager();
  if (!manager?.persist) return null;
  try {
    return await manager.persist();
  } catch {
    return null;
  }
}

/** Whether storage is already persistent (no prompt; safe at any time), or null when the API is absent. */
export async function isPersisted(): Promise<boolean | null> {
  const manager = storageManager();
  if (!manager?.persisted) return null;
  try {
    return await manager.persisted();
  } catch {
    return null;
  }
}
