/**
 * Turns what the reader dropped or pasted into the files of one SAE: dropped files keep their
 * folder (which names the hook for sparsify and Gemma Scope), and a Hugging Face page or file link
 * becomes the folder its raw files are downloaded from.
 */
import { saeFilesFromMap, saeFilesFromUrl, type SaeFiles, type SaeFilesOptions } from '../engine/sae/saeFiles';
import { EngineError } from '../errors/engineError';
import type { UserSaeSource } from './protocol';

/** Names a link may end in that are one file of an SAE folder rather than the folder itself. */
const SAE_FILE = /\/(cfg\.json|sae_weights\.safetensors|sae\.safetensors|params\.npz)$/;

/** The folder URL to download the SAE's files from. */
export function saeFolderUrl(input: string): string {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new EngineError(`"${trimmed}" is not a URL; paste a link starting with https://.`, trimmed);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EngineError(`"${trimmed}" is not a web address; paste a link starting with https://.`, trimmed);
  }
  // Hugging Face's pages (blob/, tree/) are HTML; resolve/ serves the raw file.
  url.pathname = url.pathname.replace(/^(\/[^/]+\/[^/]+)\/(?:blob|tree)\//, '$1/resolve/');
  url.search = '';
  url.hash = '';
  return url.href.replace(SAE_FILE, '').replace(/\/+$/, '');
}

/** The folder shared by every path, or null when the files sit at the top (or in several folders). */
function commonFolder(paths: string[]): string | null {
  const folders = new Set(paths.map((p) => p.split('/').slice(0, -1).join('/')));
  const [only] = folders;
  return folders.size === 1 && only ? only : null;
}

/** The label of files dropped or picked without a folder. */
export const LOOSE_FILES = 'the dropped files';

export interface UserSaeFiles {
  files: SaeFiles;
  /** the name of the folder the files came in (the last part of a URL's path), for the SAE's id; null for loose files */
  folder: string | null;
}

export function userSaeFiles(source: UserSaeSource, options: SaeFilesOptions = {}): UserSaeFiles {
  if (source.kind === 'url') {
    const folderUrl = saeFolderUrl(source.url);
    const last = new URL(folderUrl).pathname.split('/').pop() ?? '';
    return { files: saeFilesFromUrl(folderUrl, options), folder: safeDecode(last) || null };
  }
  if (source.files.length === 0) throw new EngineError('No files were dropped; drop the folder of one SAE or its files.', 'dropped files');
  const paths = source.files.map((f) => f.path.replace(/^\/+/, ''));
  const names = paths.map((p) => p.split('/').pop()!);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new EngineError(
      `Two dropped files are both named ${repeated} (${paths.filter((p) => p.endsWith(repeated)).join(', ')}); drop the folder of one SAE at a time.`,
      repeated,
    );
  }
  const folder = commonFolder(paths);
  return {
    files: saeFilesFromMap(folder ?? LOOSE_FILES, new Map(source.files.map((f, i) => [paths[i]!, f.file])), options),
    folder: folder === null ? null : folder.split('/').pop()!,
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * A browser says only "Failed to fetch" both when a server is down and when it does not let other
 * sites read its files (no CORS headers); the reader needs to hear about the second.
 */
export function explainFetchFailure(err: unknown): unknown {
  if (!(err instanceof EngineError) || err.code !== 'network') return err;
  const file = err.source ?? 'the file';
  return new EngineError(
    `Could not download ${file}: the server did not answer, or it does not let other websites read its files (no CORS ` +
      `headers such as Access-Control-Allow-Origin). Hugging Face “resolve/main/…” links allow this; for another server, ` +
      `enable CORS there or download the files and drop them here instead.`,
    err.source,
    'network',
  );
}
