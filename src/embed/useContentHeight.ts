import { useEffect, type RefObject } from 'react';
import { MESSAGE_PREFIX } from './hostMessages';

/**
 * Posts the element's height to the embedding page whenever it changes, for public/embed.js to
 * size the frame. To any origin: a height tells nothing, and the host's origin is not known.
 */
export function useContentHeight(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || window.parent === window) return;
    let last = -1;
    const post = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: `${MESSAGE_PREFIX}height`, height }, '*');
    };
    const observer = new ResizeObserver(post);
    observer.observe(el);
    post();
    return () => observer.disconnect();
  }, [ref]);
}
