import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

/** The current location hash, re-rendering on navigation (links, Back/Forward, and views' own steps: ../views/viewQuery.ts). */
export function useHashLocation(): string {
  // Rendered outside a browser (a view's test in Node) there is no address.
  return useSyncExternalStore(subscribe, () => window.location.hash, () => '');
}
