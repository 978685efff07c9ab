/**
 * Where a bundle lives, as an absolute URL ending in '/'. In a page or worker that is an http(s)
 * URL; in Node (tests, scripts) it may be a folder path, turned into a file: URL so that the
 * bundle's relative paths resolve the same way everywhere.
 */
import { EngineError } from '../types';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * `input` may be a URL, a URL relative to the current page, or (in Node) a folder path; a trailing
 * "manifest.json" is dropped, so a link to the manifest works too.
 */
export function bundleBaseUrl(input: string): string {
  const raw = input.trim().replace(/manifest\.json$/, '');
  if (raw === '') throw new EngineError('No bundle location given: pass the URL of a bundle folder.');
  let url: URL;
  try {
    url = new URL(raw, defaultBase());
  } catch {
    throw new EngineError(`"${input}" is not a usable bundle URL or folder.`, input);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** The absolute URL of `relative` (a path from the manifest) inside the bundle at `base`. */
export function fileUrl(base: string, relative: string): string {
  if (SCHEME.test(relative) || relative.startsWith('/')) {
    throw new EngineError(
      `The bundle refers to "${relative}", which is not a path inside the bundle; manifest paths are relative.`,
      relative,
    );
  }
  return new URL(relative, base).href;
}

function defaultBase(): string {
  const loc = (globalThis as { location?: { href?: string } }).location;
  if (loc?.href) return loc.href;
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  if (proc?.cwd) return `file://${encodePath(proc.cwd())}/`;
  return 'file:///';
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
