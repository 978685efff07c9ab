/**
 * Which model the page's address opens, and the address that opens another. `?model=` takes a Hub
 * repo id or a folder URL (appOptions.ts), or `local:<name>`: a model whose files the reader gave
 * and this browser keeps (keptModelsDb.ts). Such a model is named by a same-origin folder URL that
 * nothing is ever fetched from (`local-models/<name>/`): the engine reads the files it is given.
 */

const KEPT_PREFIX = 'local:';
/** The options that say which model opens, and the SAEs that came with it: dropped when another is opened. */
const MODEL_OPTIONS = ['model', 'bundle', 'processing', 'sae_url'];

/** The name in `?model=local:<name>`, or null for a repo id or URL. */
export function keptModelName(model: string): string | null {
  return model.startsWith(KEPT_PREFIX) && model.length > KEPT_PREFIX.length ? model.slice(KEPT_PREFIX.length) : null;
}

/** The `?model=` value that opens kept model `name`. */
export function keptModelParam(name: string): string {
  return `${KEPT_PREFIX}${name}`;
}

/** The folder, relative to the page, that names kept model `name` (its last part is the name the header shows). */
export function keptModelFolder(name: string): string {
  return `local-models/${encodeURIComponent(name)}/`;
}

/** The name of the kept model a folder URL names (as keptModelUrl makes it), else null. */
export function keptModelOfUrl(bundleUrl: string): string | null {
  const match = /\/local-models\/([^/?#]+)\/(?:\?[^#]*)?$/.exec(bundleUrl);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** The folder URL that names kept model `name` opened with `processing` (null: the default), as parseAppOptions makes it. */
export function keptModelUrl(name: string, processing: string | null, pageUrl: string): string {
  const url = new URL(keptModelFolder(name), pageUrl);
  if (processing !== null) url.searchParams.set('processing', processing);
  return url.href;
}

/**
 * `href` opening `model` (a `?model=` value; null: the bundle shipped with the app) processed as
 * `processing` says (null: as the model's default). What else the address says stays (the backend,
 * the encoder, options after the route), except the SAE links of the model before; the route goes
 * back to the prompt, since the views of one model's SAEs mean nothing on another.
 */
export function addressWithModel(href: string, model: string | null, processing: string | null = null): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.search);
  for (const key of MODEL_OPTIONS) params.delete(key);
  if (model !== null) params.set('model', model);
  if (model !== null && processing !== null) params.set('processing', processing);
  const q = url.hash.indexOf('?');
  const hashParams = new URLSearchParams(q >= 0 ? url.hash.slice(q + 1) : '');
  for (const key of MODEL_OPTIONS) hashParams.delete(key);
  url.search = params.toString();
  url.hash = `#/${hashParams.size > 0 ? `?${hashParams.toString()}` : ''}`;
  return url.href;
}

/** Whether `href` opens a model other than the one shipped with the app (`?model=` or `?bundle=`, in the query or the hash's). */
export function opensOtherModel(href: string): boolean {
  const url = new URL(href);
  const q = url.hash.indexOf('?');
  const all = [new URLSearchParams(url.search), new URLSearchParams(q >= 0 ? url.hash.slice(q + 1) : '')];
  return all.some((p) => p.has('model') || p.has('bundle'));
}

/** The repo id or folder URL `href` opens with `?model=`, for the box that opens another; '' for none or a kept model. */
export function typedModel(href: string): string {
  const model = new URL(href).searchParams.get('model')?.trim() ?? '';
  return keptModelName(model) === null ? model : '';
}
