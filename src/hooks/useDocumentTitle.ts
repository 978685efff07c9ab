import { useEffect } from 'react';

const APP = 'SAE Explorer';

/** Names the tab after what the view shows ("Feature 12 · L2-resid-topk · SAE Explorer"), so tabs and history tell views apart. */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter((p): p is string => !!p), APP].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
