/**
 * Registers the service worker (./sw.ts) of a production build, so that the app opens offline after
 * a first visit. Embeds do not: a reader of one embedded dashboard should not download the whole
 * app shell; an embed on the app's own origin is still served by the app's worker once it exists.
 */
export function registerOffline({ embed }: { embed: boolean }): void {
  if (!import.meta.env.PROD || embed || !('serviceWorker' in navigator)) return;
  // workbox-window in a chunk of its own: the first paint does not wait for it.
  void import('workbox-window')
    .then(({ Workbox }) => {
      // Relative to the page, so dist/ works from any sub-path; the scope is the folder of index.html.
      const wb = new Workbox('./sw.js', { scope: './' });
      wb.addEventListener('activated', (event) => {
        if (!event.isUpdate) keepWhatWentPast((urlsToCache) => void wb.messageSW({ type: 'CACHE_URLS', payload: { urlsToCache } }));
      });
      // A new deploy's worker has taken over this page: reload, so the page's code and the files the
      // worker serves come from the same deploy (nothing typed is lost: the prompt is kept).
      wb.addEventListener('controlling', (event) => {
        if (event.isUpdate) window.location.reload();
      });
      return wb.register();
    })
    .catch((err: unknown) => {
      // Refused (a private window, a browser set to block them): the app works online as before.
      console.info('SAE Explorer works online only here: the offline service worker was not registered.', err);
    });
}

/**
 * On the first install, what the page fetched before the worker controlled it (the dashboards of this
 * first view) went past the worker: each such file, as it completes — those still on their way when
 * the worker took over too — is handed to the worker, whose own routes keep it (Workbox's CACHE_URLS).
 * A request the worker saw has a nonzero `workerStart`.
 */
function keepWhatWentPast(keep: (urls: string[]) => void): void {
  new PerformanceObserver((list) => {
    const urls = (list.getEntries() as PerformanceResourceTiming[]).filter((e) => e.workerStart === 0 && e.name.startsWith(location.origin)).map((e) => e.name);
    if (urls.length > 0) keep(urls);
  }).observe({ type: 'resource', buffered: true });
}
