/**
 * A storage that keeps nothing: for an embed, which must not touch what the reader kept in the full
 * app, and where the browser refuses localStorage altogether (an iframe in a page of another site,
 * with third-party storage blocked: reading `localStorage` throws).
 */
import type { StateStorage } from 'zustand/middleware';

export const FORGETFUL_STORAGE = { getItem: () => null, setItem: () => {}, removeItem: () => {} } satisfies StateStorage;

/** localStorage where the browser allows it, else nothing kept (zustand's persist would drop its API). */
export function localStorageOrForgetful(): StateStorage {
  try {
    return localStorage;
  } catch {
    return FORGETFUL_STORAGE;
  }
}
