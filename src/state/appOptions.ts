/**
 * Options the page address can set: `?bundle=<url>` loads another bundle folder and
 * `?backend=auto|webgpu|wasm` forces the execution backend. Without them the app loads the bundle
 * shipped beside it, chosen at build time.
 */
import type { BackendPreference } from '../worker/protocol';

export const FALLBACK_BUNDLE_PATH = 'models/explorer-4l/';

export interface AppOptions {
  /** absolute URL of the bundle folder, ending in "/" */
  bundleUrl: string;
  backend: BackendPreference;
}

const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/**
 * The options in the address's query (`?backend=wasm#/…`) or, where a reader put them after the
 * route (`#/feature/x/1?backend=wasm`), in the hash's query; the address's query wins.
 */
export function parseAppOptions(search: string, pageUrl: string, defaultBundlePath: string, hash = ''): AppOptions {
  const params = new URLSearchParams(search);
  const q = hash.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(hash.slice(q + 1))) if (!params.has(k)) params.set(k, v);
  const bundle = params.get('bundle')?.trim() || defaultBundlePath;
  // A manifest URL is accepted too: the folder is what the engine loads.
  const folder = bundle.replace(/manifest\.json$/, '');
  const bundleUrl = new URL(folder.endsWith('/') ? folder : `${folder}/`, pageUrl).href;
  const requested = params.get('backend') as BackendPreference | null;
  const backend = requested !== null && BACKENDS.includes(requested) ? requested : 'auto';
  return { bundleUrl, backend };
}

export function appOptionsFromPage(): AppOptions {
  const defaultBundle = (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined) ?? FALLBACK_BUNDLE_PATH;
  return parseAppOptions(window.location.search, document.baseURI, defaultBundle, window.location.hash);
}
