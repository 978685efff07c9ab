/**
 * Whether a bundle file's bytes are what the manifest says they are: its size, and its SHA-256
 * where one is given. A download cut short can arrive under the server's real ETag and length, so
 * only the manifest can tell a whole file from part of one.
 */
import { sha256Hex } from '../../dashboardData/corpus';
import { EngineError } from '../types';

export interface ExpectedFile {
  bytes: number;
  /** lowercase hex */
  sha256?: string;
}

/** null when `bytes` match `expected` (or nothing is expected), else the error saying how they differ. */
export async function fileMismatch(file: string, bytes: Uint8Array, expected: ExpectedFile | undefined): Promise<EngineError | null> {
  if (!expected) return null;
  if (bytes.byteLength !== expected.bytes) {
    const cut = bytes.byteLength < expected.bytes;
    return new EngineError(
      `${file} has ${count(bytes.byteLength)} bytes, but the bundle's manifest says ${count(expected.bytes)}` +
        (cut ? ' (the download was cut short). Load again.' : ': the bundle is being updated, or the file was replaced. Load again, or rebuild the bundle.'),
      file,
      cut ? 'truncated' : 'invalid',
    );
  }
  if (expected.sha256 !== undefined) {
    const actual = await sha256Hex(bytes);
    if (actual !== expected.sha256) {
      return new EngineError(
        `${file} is damaged: its SHA-256 is ${actual.slice(0, 12)}…, but the bundle's manifest says ${expected.sha256.slice(0, 12)}…. ` +
          'Load again; if it persists, the bundle on the server is inconsistent.',
        file,
        'invalid',
      );
    }
  }
  return null;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
