/**
 * The files of one SAE, wherever they are: a folder URL (bundle or the reader's link), Files the
 * reader picked or dropped, or bytes in memory (tests). Loaders ask for files by name.
 */
import { EngineError, errorMessage } from '../types';
import { type BinaryInput, type ByteSourceOptions, openByteSource, type ReadChunk } from './byteSource';

export interface SaeFiles {
  /** the folder, for messages: "saes/L2-resid-topk", "the picked files" */
  readonly label: string;
  /** true/false when the set is known (picked files), null when only a fetch can tell (a URL folder) */
  has(name: string): boolean | null;
  /** the file's bytes, or a URL to them; throws EngineError when the set is known to lack it */
  get(name: string): BinaryInput;
  /** a display name for the file: "saes/L2-resid-topk/cfg.json" */
  describe(name: string): string;
  /** how to read file `name`: its display name, a custom fetch for URLs, who watches the bytes arrive */
  readOptions(name: string): ByteSourceOptions;
}

export interface SaeFilesOptions {
  /** sees every chunk read of file `name` (progress bars, keeping a URL's bytes) */
  onRead?: (name: string, chunk: ReadChunk) => void;
}

function readOptionsFor(describe: (name: string) => string, options: SaeFilesOptions & { fetch?: typeof fetch }) {
  return (name: string): ByteSourceOptions => {
    const { onRead, fetch } = options;
    return { name: describe(name), ...(fetch ? { fetch } : {}), ...(onRead ? { onRead: (chunk: ReadChunk) => onRead(name, chunk) } : {}) };
  };
}

/** Files under a folder URL; `folder` may lack its trailing slash. */
export function saeFilesFromUrl(folder: string | URL, options: SaeFilesOptions & { fetch?: typeof fetch; label?: string } = {}): SaeFiles {
  const href = typeof folder === 'string' ? folder : folder.href;
  const base = href.endsWith('/') ? href : `${href}/`;
  const label = options.label ?? base.replace(/\/$/, '');
  const describe = (name: string) => `${label}/${name}`;
  return { label, has: () => null, get: (name) => base + name, describe, readOptions: readOptionsFor(describe, options) };
}

/** Files held by name (picked Files, or bytes); names are matched without their folder. */
export function saeFilesFromMap(
  label: string,
  files: Record<string, BinaryInput> | Map<string, BinaryInput>,
  options: SaeFilesOptions = {},
): SaeFiles {
  const byName = new Map<string, BinaryInput>();
  for (const [path, input] of files instanceof Map ? files : Object.entries(files)) byName.set(path.split('/').pop()!, input);
  return {
    label,
    has: (name) => byName.has(name),
    get(name) {
      const input = byName.get(name);
      if (input === undefined) {
        throw new EngineError(`${label} has no ${name} (found: ${[...byName.keys()].join(', ') || 'no files'}).`, `${label}/${name}`);
      }
      return input;
    },
    describe: (name) => `${label}/${name}`,
    readOptions: readOptionsFor((name) => `${label}/${name}`, options),
  };
}

/** Larger than any config; refuse before decoding a wrongly picked multi-gigabyte file as text. */
const MAX_TEXT_BYTES = 16 << 20;

async function readText(files: SaeFiles, name: string): Promise<string> {
  const source = openByteSource(files.get(name), files.readOptions(name));
  try {
    const size = await source.size();
    if (size === null || size > MAX_TEXT_BYTES) {
      throw new EngineError(`${source.name} is ${size === null ? 'of unknown size' : `${size} bytes`}, too large for a config file.`, source.name);
    }
    const bytes = await source.read(0, size);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new EngineError(`${source.name} is not UTF-8 text.`, source.name);
    }
  } finally {
    source.close();
  }
}

export async function readJson(files: SaeFiles, name: string): Promise<Record<string, unknown>> {
  const text = await readText(files, name);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineError(`${files.describe(name)} is not valid JSON (${errorMessage(err)}).`, files.describe(name));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EngineError(`${files.describe(name)} should hold a JSON object.`, files.describe(name));
  }
  return json as Record<string, unknown>;
}
