/**
 * The reader's own SAEs as files (those dropped, or those downloaded from a URL), kept in IndexedDB
 * so that they are loaded again after a reload, offline too. Files are stored as Blobs: IndexedDB
 * keeps them on disk.
 */
import type { UserSaeSource } from '../worker/protocol';

export interface StoredSae {
  /** the id the engine gave the SAE */
  id: string;
  /** the files, and the hook the SAE was found to read */
  source: UserSaeSource;
  /** what the reader gave (file names, or the URL), for the list */
  origin?: string;
  addedAt: number;
}

const DB_NAME = 'sae-explorer';
const STORE = 'user-saes';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened.'));
  });
}

async function inStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
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

export async function saveSae(sae: StoredSae): Promise<void> {
  await inStore('readwrite', (s) => s.put(sae));
}

export async function deleteSae(id: string): Promise<void> {
  await inStore('readwrite', (s) => s.delete(id));
}

export async function storedSaes(): Promise<StoredSae[]> {
  const all = (await inStore('readonly', (s) => s.getAll())) as StoredSae[];
  return all.sort((a, b) => a.addedAt - b.addedAt);
}
