/**
 * A folder's files as the reader gave them (dropped, picked, or kept in the browser since), read as
 * a bundle reads its downloads: with the same progress events and the same checks against what the
 * manifest declares, so that a folder on disk opens exactly as the same folder at a URL does.
 */
import { errorCode, EngineError } from '../../errors/engineError';
import type { DownloadOptions } from './download';
import { readStream } from './download';
import { fileMismatch } from './fileCheck';

/** The bytes of `relative` among `files` (keyed by their path inside the folder). */
export async function readGivenFile(files: ReadonlyMap<string, Blob>, relative: string, options: DownloadOptions): Promise<Uint8Array> {
  const { file, onProgress, expected } = options;
  const blob = files.get(relative);
  if (!blob) {
    const names = [...files.keys()].sort();
    throw new EngineError(
      `${relative} is not among the files you gave (${names.length > 0 ? names.join(', ') : 'none'}). ` +
        'Give the folder that holds it, or pick it with the others.',
      file,
      'not-found',
    );
  }
  onProgress?.({ file, status: 'initiate', loadedBytes: 0, totalBytes: blob.size });
  let bytes: Uint8Array;
  try {
    bytes = await readStream(blob.stream(), blob.size, file, onProgress);
  } catch (err) {
    if (errorCode(err) !== 'truncated') throw err;
    // A file picked from disk reads lazily: one moved, changed or deleted since cannot be read.
    throw new EngineError(`${file} could not be read: it was moved, changed or deleted since it was given. Give it again.`, file, 'not-found');
  }
  const mismatch = await fileMismatch(file, bytes, expected);
  if (mismatch) throw mismatch;
  return bytes;
}
