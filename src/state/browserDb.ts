/**
 * The app's IndexedDB database, where what the reader gave is kept on disk for the next visit: their
 * SAEs (userSaesDb.ts) and the models they opened from files (keptModelsDb.ts). Files are stored
 * as Blobs: IndexedDB keeps them on disk, and a read hands back Blobs that read lazily.
 */

const DB_NAME = 'sae-explorer';
/** Version 2 added the kept models' store beside the SAEs' */
const DB_VERSION = 2;
export const USER_SAES_STORE = 'user-saes';
export const KEPT_MODELS_STORE = 'kept-models';
/** Each store and the field that keys its records. */
const STORES: Record<string, string> = { [USER_SAES_STORE]: 'id', [KEPT_MODELS_STORE]: 'name' };

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      // From an older version, only the stores it lacks are added: what it kept stays.
      for (const [store, keyPath] of Object.entries(STORES)) {
        if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store, { keyPath });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened.'));
  });
}

/** Runs `run` on `store` in one transaction, answering once it has committed. */
export async function inStore<T>(store: string, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = run(tx.objectStore(store));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted (is the disk full?).'));
    });
  } finally {
    db.close();
  }
}

/** False where the browser keeps no IndexedDB (private windows of some browsers, unit tests). */
export const canPersist = typeof indexedDB !== 'undefined';
