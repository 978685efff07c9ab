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
  /**
   * the model it was added to (keptModelKey), on which alone it is loaded again; absent for SAEs kept
   * before a reader could open other models, which come back on any
   */
  model?: string;
  addedAt: number;
}

/** A model's key for its kept SAEs: its folder's address without the query (the processing asked for). */
export function keptModelKey(bundleUrl: string): string {
  const url = new URL(bundleUrl);
  url.search = '';
  return url.href;
}

/** Whether kept SAE `sae` belongs to the model at `bundleUrl`. */
export function keptFor(sae: Pick<StoredSae, 'model'>, bundleUrl: string): boolean {
  return sae.model === undefined || (bundleUrl !== '' && sae.model === keptModelKey(bundleUrl));
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
