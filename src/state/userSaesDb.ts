/**
 * The reader's own SAEs as files (those dropped, or those downloaded from a URL), kept in IndexedDB
 * (browserDb.ts) so that they are loaded again after a reload, offline too.
 */
import type { UserSaeSource } from '../worker/protocol';
import { canPersist, inStore, USER_SAES_STORE } from './browserDb';

export { canPersist };

export interface StoredSae {
  /** the id the engine gave the SAE */
  id: string;
  /** the files, and the hook the SAE was found to read */
  source: UserSaeSource;
  /** what the reader gave (file names, or the URL), for the list */
  origin?: string;
  addedAt: number;
}

export async function saveSae(sae: StoredSae): Promise<void> {
  await inStore(USER_SAES_STORE, 'readwrite', (s) => s.put(sae));
}

export async function deleteSae(id: string): Promise<void> {
  await inStore(USER_SAES_STORE, 'readwrite', (s) => s.delete(id));
}

export async function storedSaes(): Promise<StoredSae[]> {
  const all = (await inStore(USER_SAES_STORE, 'readonly', (s) => s.getAll())) as StoredSae[];
  return all.sort((a, b) => a.addedAt - b.addedAt);
}
