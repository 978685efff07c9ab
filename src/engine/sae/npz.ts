/**
 * NumPy .npy arrays (format versions 1–3, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html)
 * and .npz archives of them (a zip of `<name>.npy` entries, stored or deflated). Float arrays only,
 * returned as fp32: that is what SAE weights are (Gemma Scope's params.npz is fp32).
 */
import { EngineError } from '../types';
import { type BinaryInput, type ByteSource, type ByteSourceOptions, openByteSource } from './byteSource';
import { byteSwapped, decodeF16, decodeF32, decodeF64 } from './floatDecode';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip';

export interface NpyArray {
  /** numpy's dtype string, e.g. "<f4" */
  descr: string;
  shape: number[];
  /** row-major fp32 */
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_HEADER_CHARS = 1 << 16;

function damaged(source: string, problem: string): EngineError {
  return new EngineError(`${source} is not a valid .npy array: ${problem}.`, source);
}

/** Parses one .npy file held in memory. */
export function parseNpy(bytes: Uint8Array, source = 'array.npy'): NpyArray {
  if (bytes.byteLength < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw damaged(source, 'it does not start with the \\x93NUMPY magic');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.byteLength < 12) throw damaged(source, 'it is too short for its header');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw damaged(source, `format version ${major} is unknown (1–3 are supported)`);
  }
  if (headerLength > MAX_HEADER_CHARS || headerStart + headerLength > bytes.byteLength) {
    throw damaged(source, `its header claims ${headerLength} bytes, past the end of the ${bytes.byteLength}-byte file`);
  }
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(bytes.subarray(headerStart, headerStart + headerLength));
  } catch {
    throw damaged(source, 'its header is not text');
  }
  const header = parseHeaderDict(text, source);
  const descr = header.get('descr');
  const fortran = header.get('fortran_order');
  const shape = header.get('shape');
  if (typeof descr !== 'string') throw new EngineError(`${source}: dtype ${JSON.stringify(descr)} is a structured dtype; save a plain float array.`, source);
  if (fortran !== false) {
    throw new EngineError(`${source} is stored in Fortran (column-major) order; save it with np.ascontiguousarray(a) first.`, source);
  }
  if (!Array.isArray(shape)) throw damaged(source, 'its header has no shape tuple');
  const width = floatWidth(descr, source);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (!Number.isSafeInteger(count * width) || dataStart + count * width !== bytes.byteLength) {
    throw damaged(source, `shape (${shape.join(', ')}) of ${descr} needs ${count * width} data bytes but the file holds ${bytes.byteLength - dataStart}`);
  }
  let raw = bytes.subarray(dataStart);
  if (descr[0] === '>' && width > 1) raw = byteSwapped(raw, width);
  const data = width === 4 ? decodeF32(raw) : width === 2 ? decodeF16(raw) : decodeF64(raw);
  return { descr, shape, data };
}

function floatWidth(descr: string, source: string): number {
  const match = /^([<>=|])f([248])$/.exec(descr);
  if (match) return Number(match[2]);
  if (/^[<>=|]V2$/.test(descr) || /bfloat16/.test(descr)) {
    throw new EngineError(`${source} holds raw 2-byte values (${descr}), which is how bfloat16 arrays are saved; numpy cannot describe bfloat16. Save the weights as float32 (arr.astype(np.float32)).`, source);
  }
  throw new EngineError(`${source} has dtype ${descr}; only float arrays ('<f4', '<f2', '<f8') can be SAE weights.`, source);
}

type HeaderValue = string | boolean | number[];

/**
 * The header is a Python dict literal such as `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (16, 32), }`. A tiny parser for exactly that grammar (never eval).
 */
function parseHeaderDict(text: string, source: string): Map<string, HeaderValue | unknown> {
  let at = 0;
  const fail = (what: string): never => {
    throw damaged(source, `its header is not a dict literal (${what} at character ${at})`);
  };
  const skip = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const expect = (c: string) => {
    skip();
    if (text[at] !== c) fail(`expected "${c}"`);
    at++;
  };
  const string = (): string => {
    skip();
    const quote = text[at];
    if (quote !== "'" && quote !== '"') fail('expected a string');
    const end = text.indexOf(quote, at + 1);
    if (end < 0) fail('unterminated string');
    const value = text.slice(at + 1, end);
    at = end + 1;
    return value;
  };
  const value = (): HeaderValue | unknown => {
    skip();
    if (text[at] === "'" || text[at] === '"') return string();
    if (text.startsWith('True', at)) return (at += 4), true;
    if (text.startsWith('False', at)) return (at += 5), false;
    if (text[at] === '(') {
      at++;
      const dims: number[] = [];
      for (;;) {
        skip();
        if (text[at] === ')') break;
        const match = /^(\d{1,15})L?/.exec(text.slice(at, at + 17));
        if (!match) fail('expected a size');
        dims.push(Number(match![1]));
        at += match![0].length;
        skip();
        if (text[at] === ',') at++;
        else if (text[at] !== ')') fail('expected "," or ")"');
      }
      at++;
      return dims;
    }
    return fail('unexpected value');
  };
  const dict = new Map<string, HeaderValue | unknown>();
  expect('{');
  for (;;) {
    skip();
    if (text[at] === '}') break;
    const key = string();
    expect(':');
    if (key === 'descr' && (skip(), text[at] === '[')) {
      dict.set(key, { structured: true });
      break;
    }
    dict.set(key, value());
    skip();
    if (text[at] === ',') at++;
    else if (text[at] !== '}') fail('expected "," or "}"');
  }
  return dict;
}

/** An .npz archive whose directory has been read; arrays are read on demand. */
export class NpzFile {
  private constructor(
    private readonly bytes: ByteSource,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  static async open(input: BinaryInput, options: ByteSourceOptions = {}): Promise<NpzFile> {
    const bytes = openByteSource(input, options);
    try {
      const entries = new Map<string, ZipEntry>();
      for (const entry of await readZipDirectory(bytes)) entries.set(entry.name.replace(/\.npy$/, ''), entry);
      return new NpzFile(bytes, entries);
    } catch (err) {
      bytes.close();
      throw err;
    }
  }

  get name(): string {
    return this.bytes.name;
  }

  /** array names, without the .npy suffix */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  async array(name: string): Promise<NpyArray> {
    const entry = this.entries.get(name);
    if (!entry) throw new EngineError(`${this.name} has no array "${name}" (it holds: ${this.names.join(', ') || 'nothing'}).`, this.name);
    return parseNpy(await readZipEntry(this.bytes, entry), `${this.name}:${entry.name}`);
  }

  async readAll(): Promise<Map<string, NpyArray>> {
    const out = new Map<string, NpyArray>();
    for (const name of this.names) out.set(name, await this.array(name));
    this.bytes.close();
    return out;
  }
}

export async function readNpz(input: BinaryInput, options: ByteSourceOptions = {}): Promise<Map<string, NpyArray>> {
  return (await NpzFile.open(input, options)).readAll();
}
