/**
 * The service worker that lets the app open offline after a first visit (docs/DEPLOY.md, "Offline").
 * Two layers keep files, each owning its own, so that no file is kept twice:
 * - this worker: the app shell in its precache (index.html, the JS and CSS under assets/, embed.js,
 *   the example post; the build injects the list with revisions), and in a runtime cache the bundle
 *   files the page reads itself (dashboards, report.json, the dashboards' corpus), as they are used;
 * - the engine's Cache API copies (src/engine/bundle/download.ts) of every file the engine downloads:
 *   manifest.json, the model, tokenizer and SAE weights, checked against the manifest's sizes and
 *   hashes, and onnxruntime's wasm binary (14 MB or more: kept on first use, never precached). Its
 *   requests say `cache: 'no-store'`; this worker leaves them to the network, so when there is none
 *   they fail and the engine uses its checked copy.
 *
 * A new deploy's worker takes over at once (skipWaiting, clientsClaim) and the page reloads
 * (./registerOffline.ts), so a reader never runs an old shell against a new bundle for longer than
 * that reload; the precache drops the old shell's files as it activates.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { BUNDLE_PAGE_FILES, BUNDLE_PAGES_CACHE, indexFolder } from './offlineRoutes';

// The worker's global scope, as far as it is used here (the project's lib is the page's DOM).
declare const self: {
  /** replaced by the build with the precache list: it must be spelled `self.__WB_MANIFEST` */
  __WB_MANIFEST: (PrecacheEntry | string)[];
  skipWaiting(): Promise<void>;
};

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
// Query parameters (?bundle=, ?backend=) choose what the page loads, not which page it is.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });

// Also answers the page's CACHE_URLS message (Workbox's router): the files it read before this
// worker controlled it, on the first visit, are kept through this route too.
registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.cache !== 'no-store' && BUNDLE_PAGE_FILES.test(url.pathname),
  // Online the network answers (through the HTTP cache), so a reader never mixes two deploys' files;
  // the copy is for when there is no network.
  new NetworkFirst({
    cacheName: BUNDLE_PAGES_CACHE,
    plugins: [{ cacheDidUpdate: ({ request, oldResponse, newResponse }) => forgetOlderRun(request.url, oldResponse, newResponse) }],
  }),
);

/**
 * A dashboards index came back changed (a new deploy): the copies kept beside it were kept against
 * the index it replaces, so they go, to be kept again as the new deploy's files are fetched.
 * Otherwise an offline reader could get a new index with an old shard.
 */
async function forgetOlderRun(url: string, before: Response | null | undefined, after: Response): Promise<void> {
  const folder = indexFolder(url);
  if (folder === null || !before || (await before.clone().text()) === (await after.clone().text())) return;
  const cache = await caches.open(BUNDLE_PAGES_CACHE);
  for (const kept of await cache.keys()) {
    if (kept.url.startsWith(folder) && kept.url !== url) await cache.delete(kept);
  }
}
