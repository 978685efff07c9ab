/**
 * The Cache API, where the page may use it. Storage can be missing (Node, insecure origins) or
 * refused (private windows, iframes with partitioned storage, a full quota); every operation then
 * quietly does nothing, because a cache is a speed-up, never a reason to fail a load.
 */
const CACHE_NAME = 'sae-explorer-bundles-v1';

export interface ResponseCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<void>;
}

const noCache: ResponseCache = {
  match: () => Promise.resolve(undefined),
  put: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

let opened: Promise<ResponseCache> | null = null;

export function openResponseCache(): Promise<ResponseCache> {
  opened ??= open();
  return opened;
}

async function open(): Promise<ResponseCache> {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage) return noCache;
  let cache: Cache;
  try {
    cache = await storage.open(CACHE_NAME);
  } catch {
    return noCache;
  }
  return {
    async match(url) {
      try {
        return await cache.match(url);
      } catch {
        return undefined;
      }
    },
    async put(url, response) {
      try {
        await cache.put(url, response);
      } catch {
        // quota exceeded or storage revoked: the file was still downloaded, just not kept
      }
    },
    async delete(url) {
      try {
        await cache.delete(url);
      } catch {
        // storage revoked: nothing is kept to be used again either
      }
    },
  };
}
