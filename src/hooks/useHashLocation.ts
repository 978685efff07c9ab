import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current location hash, re-rendering on navigation. */
export function useHashLocation(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
