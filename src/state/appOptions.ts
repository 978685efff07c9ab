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

export function parseAppOptions(search: string, pageUrl: string, defaultBundlePath: string): AppOptions {
  const params = new URLSearchParams(search);
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
  return parseAppOptions(window.location.search, document.baseURI, defaultBundle);
}
