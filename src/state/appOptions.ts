/**
 * Options the page address can set: `?bundle=<url>` loads another bundle folder and
 * `?backend=auto|webgpu|wasm` forces the execution backend. Without them the app loads the bundle
 * shipped beside it, chosen at build time.
 *
 * `?encoder=auto|screened|dense` picks how SAE encoders run (docs/ARCHITECTURE.md, "Screened
 * encoders"): auto screens where that is faster; dense is there to compare, with the same results.
 *
 * `?model=<repo id or folder URL>` loads a Hugging Face GPT-2 instead (docs/GPT2.md): a repo id
 * `org/name` is the Hub's `https://huggingface.co/org/name/resolve/main/`; `&processing=…` (e.g.
 * `none`) rides along in the folder's query, where the engine reads it. `?sae_url=<folder URL>`
 * (repeatable) adds SAEs by URL once the model is loaded (saeUrlsFromPage). `?model=local:<name>`
 * opens a model whose files the reader gave and this browser keeps (modelAddress.ts).
 */
import type { EncoderPath } from '../engine/sae/encoderBank';
import type { BackendPreference } from '../worker/protocol';
import { keptModelFolder, keptModelName } from './modelAddress';

export const FALLBACK_BUNDLE_PATH = 'models/explorer-4l/';

export interface AppOptions {
  /** absolute URL of the bundle folder, ending in "/" */
  bundleUrl: string;
  backend: BackendPreference;
  encoder: EncoderPath;
  /** the bundle shipped beside the page, whose held-out text a model without a corpus (`?model=`) re-tokenises */
  fallbackCorpus: string;
  /** `?model=local:<name>`: the model whose files this browser keeps (bundleUrl then only names it), else null */
  keptModel: string | null;
}

const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];
const ENCODERS: readonly EncoderPath[] = ['auto', 'screened', 'dense'];

/**
 * The options in the address's query (`?backend=wasm#/…`) or, where a reader put them after the
 * route (`#/feature/x/1?backend=wasm`), in the hash's query; the address's query wins.
 */
export function parseAppOptions(search: string, pageUrl: string, defaultBundlePath: string, hash = ''): AppOptions {
  const params = new URLSearchParams(search);
  const q = hash.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(hash.slice(q + 1))) if (!params.has(k)) params.set(k, v);
  const model = params.get('model')?.trim();
  const bundle = params.get('bundle')?.trim() || defaultBundlePath;
  // A manifest URL is accepted too: the folder is what the engine loads.
  const keptModel = model ? keptModelName(model) : null;
  const folder = keptModel !== null ? keptModelFolder(keptModel) : model ? hfFolder(model) : bundle.replace(/manifest\.json$/, '');
  const url = new URL(folder.endsWith('/') ? folder : `${folder}/`, pageUrl);
  const processing = params.get('processing');
  if (model && processing) url.searchParams.set('processing', processing);
  const bundleUrl = url.href;
  const requested = params.get('backend') as BackendPreference | null;
  const backend = requested !== null && BACKENDS.includes(requested) ? requested : 'auto';
  const encoderAsked = params.get('encoder') as EncoderPath | null;
  const encoder = encoderAsked !== null && ENCODERS.includes(encoderAsked) ? encoderAsked : 'auto';
  const fallbackCorpus = new URL(defaultBundlePath.endsWith('/') ? defaultBundlePath : `${defaultBundlePath}/`, pageUrl).href;
  return { bundleUrl, backend, encoder, fallbackCorpus, keptModel };
}

/**
 * `href` asking for `backend`: the option is set where the address already has it (its query, or the
 * hash's query after the route), else in the address's query, so that a reload keeps the choice.
 */
export function addressWithBackend(href: string, backend: BackendPreference): string {
  const url = new URL(href);
  // Only the value changes: the rest of the address stays as the reader wrote it (no re-encoding).
  const option = /([?&]backend=)[^&#]*/;
  const q = url.hash.indexOf('?');
  if (option.test(url.search)) url.search = url.search.replace(option, `$1${backend}`);
  else if (q >= 0 && option.test(url.hash.slice(q))) url.hash = url.hash.slice(0, q) + url.hash.slice(q).replace(option, `$1${backend}`);
  else url.search = `${url.search ? `${url.search}&` : '?'}backend=${backend}`;
  return url.href;
}

export function appOptionsFromPage(): AppOptions {
  const defaultBundle = (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined) ?? FALLBACK_BUNDLE_PATH;
  return parseAppOptions(window.location.search, document.baseURI, defaultBundle, window.location.hash);
}

/** A Hub repo id (`org/name`, nothing else) as its files' folder; a URL or path (`./x/`, `https://…/`) as it is. */
export function hfFolder(model: string): string {
  if (/^[\w.-]+\/[\w.-]+$/.test(model) && !model.startsWith('.')) return `https://huggingface.co/${model}/resolve/main/`;
  return model.replace(/config\.json$/, '');
}

/** The SAE folder URLs the address names with `?sae_url=` (in its query, or its hash's), in order, once each. */
export function saeUrlsFromAddress(search: string, hash = ''): string[] {
  const q = hash.indexOf('?');
  const urls = [...new URLSearchParams(search).getAll('sae_url'), ...(q >= 0 ? new URLSearchParams(hash.slice(q + 1)).getAll('sae_url') : [])];
  return [...new Set(urls.map((u) => u.trim()).filter(Boolean))];
}

/** saeUrlsFromAddress of this page; none outside a browser. */
export function saeUrlsFromPage(): string[] {
  return typeof window === 'undefined' ? [] : saeUrlsFromAddress(window.location.search, window.location.hash);
}
