/**
 * Downloads one bundle file, reporting progress as data (initiate → progress… → done, or cached)
 * so the UI can draw a bar per file, and keeping a copy in the Cache API for the next visit and for
 * offline use. Cached copies are revalidated with the server's ETag / Last-Modified, so a rebuilt
 * bundle at the same URL is never served stale; when the network is down the cached copy is used.
 * Where the manifest declares a file's size (and SHA-256), a copy is checked against it before it is
 * kept, and a cached copy before it is used: a mismatch is evicted and fetched again, so a body cut
 * short under a good ETag cannot stick.
 *
 * file: URLs (Node) are read from disk, with the same events.
 */
import { EngineError, errorMessage, type LoadProgress } from '../types';
import { fileMismatch, type ExpectedFile } from './fileCheck';
import { openResponseCache, type ResponseCache } from './responseCache';

export interface DownloadOptions {
  /** how the file is named in progress events and errors, e.g. "model.onnx" */
  file: string;
  onProgress?: (p: LoadProgress) => void;
  /** keep and reuse a copy: in the Cache API (true, the default), nowhere (false), or in the cache given */
  cache?: boolean | ResponseCache;
  /** what the file must hold (the manifest's size and hash); copies that differ are neither kept nor used */
  expected?: ExpectedFile;
}

/** Progress events at most this often per file; the last one always goes out. */
const PROGRESS_INTERVAL_BYTES = 256 * 1024;

export async function downloadBytes(url: string, options: DownloadOptions): Promise<Uint8Array> {
  if (url.startsWith('file:')) return readLocalFile(url, options);
  return oneAtATime(url, () => fetchWithCache(url, options));
}

/**
 * Engines that fetch the same file at once — two live embeds on one blog page, two tabs — take
 * turns (a Web Lock per URL, shared by every page and worker of the origin): the second finds the
 * first's copy in the Cache API and revalidates it instead of downloading it again. A lock held
 * by a worker that is stopped is released with it.
 */
function oneAtATime<T>(url: string, run: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) return run();
  let ran = false;
  const locked = () => {
    ran = true;
    return run();
  };
  // Where the browser refuses the lock (a third-party frame with storage blocked), download alone.
  return locks.request(`sae-explorer:download:${url}`, locked).catch((err: unknown) => {
    if (ran) throw err;
    return run();
  });
}

/** A bundle file's bytes as JSON, or an error naming `file` and saying what to check. */
export function parseJsonFile(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new EngineError(
      `${file} is not valid JSON (${errorMessage(err)}). ` +
        'Is the bundle complete, and does the server return the file itself rather than an error page?',
      file,
    );
  }
}

async function fetchWithCache(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const { file, onProgress, expected } = options;
  const cache = options.cache === false ? null : options.cache === true || options.cache === undefined ? await openResponseCache() : options.cache;
  const cached = cache ? await cache.match(url) : undefined;

  const validators: Record<string, string> = {};
  const etag = cached?.headers.get('ETag');
  const lastModified = cached?.headers.get('Last-Modified');
  if (etag) validators['If-None-Match'] = etag;
  if (lastModified) validators['If-Modified-Since'] = lastModified;

  // Before the request, so a reader waiting on a slow server already sees which file is coming, and how big.
  onProgress?.({ file, status: 'initiate', loadedBytes: 0, totalBytes: expected?.bytes ?? null });
  let response = await tryFetch(url, validators);

  if (cached && (!(response instanceof Response) || response.status === 304)) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await fileMismatch(file, bytes, expected)) === null) {
      onProgress?.({ file, status: 'cached', loadedBytes: bytes.byteLength, totalBytes: bytes.byteLength });
      return bytes;
    }
    // A damaged copy (cut short under a good ETag, say): forget it and ask for the whole file.
    await cache!.delete(url);
    response = await tryFetch(url, {});
  }
  if (!(response instanceof Response)) {
    throw new EngineError(
      `Could not download ${file} from ${url}: ${errorMessage(response.error)}. Check the connection and the bundle URL ` +
        '(a server on another origin must allow CORS).',
      file,
      'network',
    );
  }
  if (!response.ok) {
    throw new EngineError(
      `Could not download ${file}: the server answered ${response.status} ${response.statusText} for ${url}.` +
        (response.status === 404 ? ' Is the bundle complete?' : ''),
      file,
      response.status === 404 ? 'not-found' : 'http',
    );
  }

  const bytes = await readWithProgress(response, file, onProgress);
  const mismatch = await fileMismatch(file, bytes, expected);
  if (mismatch) throw mismatch;
  const keep = response.headers.get('ETag') || response.headers.get('Last-Modified');
  if (cache && keep) {
    const headers = new Headers();
    for (const name of ['ETag', 'Last-Modified', 'Content-Type']) {
      const value = response.headers.get(name);
      if (value) headers.set(name, value);
    }
    await cache.put(url, new Response(bytes.slice().buffer, { headers }));
  }
  return bytes;
}

/** The server's answer, or what kept it from answering. */
async function tryFetch(url: string, headers: Record<string, string>): Promise<Response | { error: unknown }> {
  try {
    // 'no-store' keeps the browser's HTTP cache out of the way: the Cache API copy is the one kept.
    return await fetch(url, { headers, cache: 'no-store' });
  } catch (error) {
    return { error };
  }
}

async function readWithProgress(
  response: Response,
  file: string,
  onProgress: DownloadOptions['onProgress'],
): Promise<Uint8Array> {
  // With a compressed transfer, Content-Length counts compressed bytes: no honest total then.
  const encoding = response.headers.get('Content-Encoding');
  const lengthHeader = response.headers.get('Content-Length');
  const totalBytes = lengthHeader && (!encoding || encoding === 'identity') ? Number(lengthHeader) : null;
  if (!response.body) {
    onProgress?.({ file, status: 'progress', loadedBytes: 0, totalBytes });
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ file, status: 'done', loadedBytes: bytes.byteLength, totalBytes: bytes.byteLength });
    return bytes;
  }
  return readStream(response.body, totalBytes, file, onProgress);
}

/**
 * All of `stream` (a response's body, or a file the reader gave), with progress events from 0 to
 * done; `totalBytes`, where known, is what it must hold.
 */
export async function readStream(
  stream: ReadableStream<Uint8Array>,
  totalBytes: number | null,
  file: string,
  onProgress: DownloadOptions['onProgress'],
): Promise<Uint8Array> {
  onProgress?.({ file, status: 'progress', loadedBytes: 0, totalBytes });
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reported = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      if (loaded - reported >= PROGRESS_INTERVAL_BYTES) {
        reported = loaded;
        onProgress?.({ file, status: 'progress', loadedBytes: loaded, totalBytes });
      }
    }
  } catch (err) {
    throw new EngineError(`The download of ${file} broke off after ${loaded} bytes: ${errorMessage(err)}. Try again.`, file, 'truncated');
  }
  if (totalBytes !== null && loaded !== totalBytes) {
    throw new EngineError(
      `The download of ${file} ended after ${loaded} of ${totalBytes} bytes (connection dropped?). Try again.`,
      file,
      'truncated',
    );
  }
  const bytes = concat(chunks, loaded);
  onProgress?.({ file, status: 'done', loadedBytes: loaded, totalBytes: loaded });
  return bytes;
}

async function readLocalFile(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const { file, onProgress } = options;
  // Hidden from bundlers: this branch only ever runs in Node.
  const fsModule = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  const path = decodeURIComponent(new URL(url).pathname);
  onProgress?.({ file, status: 'initiate', loadedBytes: 0, totalBytes: null });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new EngineError(
      missing ? `${file} does not exist: no file at ${path}.` : `Could not read ${file} at ${path}: ${errorMessage(err)}.`,
      file,
      missing ? 'not-found' : 'invalid',
    );
  }
  const mismatch = await fileMismatch(file, bytes, options.expected);
  if (mismatch) throw mismatch;
  onProgress?.({ file, status: 'done', loadedBytes: bytes.byteLength, totalBytes: bytes.byteLength });
  return bytes;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
