import { useEffect, type RefObject } from 'react';
import { MESSAGE_PREFIX } from './hostMessages';

/** Coalesces a burst of DOM changes into one measurement. */
const MEASURE_AFTER_MS = 50;

/**
 * Posts the element's height to the embedding page whenever it changes, for public/embed.js to
 * size the frame. To any origin: a height tells nothing, and the host's origin is not known.
 *
 * A ResizeObserver alone is not enough: Chromium does not render a cross-origin frame that is out
 * of view, so its observers stay silent until the reader scrolls there, and the frame keeps the
 * wrong height until then. DOM changes are watched too (a MutationObserver runs regardless).
 */
export function useContentHeight(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || window.parent === window) return;
    let last = -1;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const post = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: `${MESSAGE_PREFIX}height`, height }, '*');
    };
    const later = () => {
      if (timer === null)
        timer = setTimeout(() => {
          timer = null;
          post();
        }, MEASURE_AFTER_MS);
    };
    const resized = new ResizeObserver(post);
    resized.observe(el);
    const changed = new MutationObserver(later);
    changed.observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
    post();
    return () => {
      resized.disconnect();
      changed.disconnect();
      if (timer !== null) clearTimeout(timer);
    };
  }, [ref]);
}
