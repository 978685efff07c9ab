/**
 * Which requests the service worker (./sw.ts) keeps at run time, as plain patterns that Node tests.
 */

/** The service worker's cache of the bundle files the page reads (e2e tests look into it). */
export const BUNDLE_PAGES_CACHE = 'sae-explorer-bundle-pages';

/**
 * Bundle files the page reads itself (src/dashboardData/dashboardSource.ts): the dashboards, the
 * bundle's report and the corpus the dashboards' examples point into. The engine's downloads are
 * told apart by their `cache: 'no-store'`, not by path: it reads data/ too.
 */
export const BUNDLE_PAGE_FILES = /\/(dashboards\/.+|report\.json|data\/[^/]+)$/;

/**
 * The folder whose kept files depend on the dashboards index at `url`: the whole bundle for its root
 * index (which names the corpus), one SAE's folder for that SAE's index; null for any other file.
 */
export function indexFolder(url: string): string | null {
  const root = /^(.*\/)dashboards\/index\.json$/.exec(url);
  if (root) return root[1]!;
  const sae = /^(.*\/dashboards\/[^/]+\/)index\.json$/.exec(url);
  return sae ? sae[1]! : null;
}
