/**
 * safetensors reader (https://github.com/huggingface/safetensors, "Format"): an 8-byte
 * little-endian header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__"?: {string: string}}`, then the data section the offsets index into.
 *
 * The header is read and checked before any tensor byte is touched, so a damaged or hostile file
 * fails fast with a message that says what is wrong. Float tensors come back as fp32 whatever their
 * stored dtype.
 *
 *   const file = await SafetensorsFile.open(blobOrUrlOrBytes);
 *   const wU = await file.float32('W_U');          // { dtype: 'F16', shape: [256, 4096], data }
 *   const all = await readSafetensors(bytes);      // Map<name, SafetensorsTensor>
 */
import { EngineError, errorMessage } from '../types';
import { type BinaryInput, type ByteSource, type ByteSourceOptions, openByteSource } from './byteSource';
import { decodeBF16, decodeF16, decodeF32 } from './floatDecode';

type SafetensorsFloatDtype = 'F32' | 'F16' | 'BF16';
type SafetensorsIntDtype = 'I32' | 'I64';
export type SafetensorsDtype = SafetensorsFloatDtype | SafetensorsIntDtype;

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8 };

/** Headers beyond this are refused: real ones are kilobytes; the reference reader's cap is 100 MB. */
const MAX_HEADER_BYTES = 100_000_000;
/** A valid header nests three deep (file → tensor → shape); deeper is damage or an attack. */
const MAX_JSON_DEPTH = 8;

/** One tensor as the header describes it; offsets are absolute positions in the file. */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** absolute byte range [begin, end) in the file */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** where the data section starts: 8 + header length */
  dataStart: number;
}

export interface FloatTensor {
  dtype: SafetensorsFloatDtype;
  shape: number[];
  /** row-major fp32, converted from the stored dtype */
  data: Float32Array;
}

type IntTensor =
  | { dtype: 'I32'; shape: number[]; data: Int32Array }
  | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

export type SafetensorsTensor = FloatTensor | IntTensor;

function isFloatDtype(dtype: SafetensorsDtype): dtype is SafetensorsFloatDtype {
  return dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

function damaged(source: string, problem: string): EngineError {
  return new EngineError(`${source} is not a valid safetensors file: ${problem}.`, source);
}

/**
 * The header length stored in the first 8 bytes, checked against the file size (when known) and
 * the 100 MB cap.
 */
function readHeaderLength(first8: Uint8Array, fileSize: number | null, source = 'safetensors file'): number {
  if (first8.byteLength < 8) throw damaged(source, `it is ${first8.byteLength} bytes long, shorter than the 8-byte header length`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (length > MAX_HEADER_BYTES) {
    throw damaged(source, `its header claims ${length} bytes, more than the ${MAX_HEADER_BYTES}-byte limit (is it a safetensors file at all?)`);
  }
  if (length < 2) throw damaged(source, `its header length is ${length}, too short for a JSON object`);
  if (fileSize !== null && 8 + length > fileSize) {
    throw damaged(source, `its header claims ${length} bytes but the file has only ${fileSize - 8} after the length (truncated?)`);
  }
  return length;
}

/**
 * Parses and validates a header. `bytes` must hold at least the first 8 + N bytes of the file;
 * `fileSize` (default: bytes.length) bounds the tensors' offsets, null when unknown.
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  options: { fileSize?: number | null; source?: string } = {},
): SafetensorsHeader {
  const source = options.source ?? 'safetensors file';
  const fileSize = options.fileSize === undefined ? bytes.byteLength : options.fileSize;
  const length = readHeaderLength(bytes.subarray(0, 8), fileSize, source);
  if (bytes.byteLength < 8 + length) throw damaged(source, `the header needs ${8 + length} bytes but only ${bytes.byteLength} were given`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    throw damaged(source, 'its header is not UTF-8 text');
  }
  checkJsonDepth(text, source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw damaged(source, `its header is not valid JSON (${errorMessage(err)})`);
  }
  return validateHeader(json, 8 + length, fileSize, source);
}

/** JSON.parse recurses; bound the nesting before handing it attacker-shaped text. */
function checkJsonDepth(text: string, source: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) throw damaged(source, `its header nests deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function validateHeader(json: unknown, dataStart: number, fileSize: number | null, source: string): SafetensorsHeader {
  if (!isRecord(json)) throw damaged(source, 'its header is not a JSON object');
  const dataSize = fileSize === null ? null : fileSize - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = validateMetadata(value, source);
      continue;
    }
    if (!isRecord(value)) throw damaged(source, `tensor "${name}" is not described by an object`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      throw new EngineError(
        `${source}: tensor "${name}" has dtype ${JSON.stringify(dtype)}; this reader supports F32, F16, BF16 (and I32/I64 indices). Convert the file to one of those.`,
        source,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) throw damaged(source, `tensor "${name}" has shape ${JSON.stringify(shape)}, not a list of sizes`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      throw damaged(source, `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const width = DTYPE_BYTES[dtype as SafetensorsDtype];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(count * width) || count * width !== end - begin) {
      throw damaged(source, `tensor "${name}" is ${dtype} ${JSON.stringify(shape)} (${count * width} bytes) but its data_offsets span ${end - begin} bytes`);
    }
    if (dataSize !== null && end > dataSize) {
      throw damaged(source, `tensor "${name}" ends at byte ${end} of the data section, which has only ${dataSize} bytes (truncated?)`);
    }
    entries.set(name, { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin: dataStart + begin, end: dataStart + end });
  }
  checkNoOverlap([...entries.values()], source);
  return { entries, metadata, dataStart };
}

function validateMetadata(value: unknown, source: string): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw damaged(source, '"__metadata__" must map strings to strings');
  }
  return value as Record<string, string>;
}

function checkNoOverlap(entries: SafetensorsEntry[], source: string): void {
  const sorted = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].begin < sorted[i - 1].end) {
      throw damaged(source, `tensors "${sorted[i - 1].name}" and "${sorted[i].name}" overlap`);
    }
  }
}

/** A safetensors file whose header has been read and checked; tensors are read on demand. */
export class SafetensorsFile {
  private constructor(
    private readonly bytes: ByteSource,
    readonly header: SafetensorsHeader,
  ) {}

  /** Reads and validates the header only (two small reads). */
  static async open(input: BinaryInput, options: ByteSourceOptions = {}): Promise<SafetensorsFile> {
    const bytes = openByteSource(input, options);
    try {
      // The first read tells a URL source whether ranges work, and so the size; ask for it after.
      const first8 = await bytes.read(0, 8).catch((err: unknown) => {
        if (err instanceof EngineError && err.code === 'truncated') throw damaged(bytes.name, 'it is shorter than 8 bytes');
        throw err;
      });
      const fileSize = await bytes.size();
      const length = readHeaderLength(first8, fileSize, bytes.name);
      const head = new Uint8Array(8 + length);
      head.set(first8);
      head.set(await bytes.read(8, 8 + length), 8);
      return new SafetensorsFile(bytes, parseSafetensorsHeader(head, { fileSize, source: bytes.name }));
    } catch (err) {
      bytes.close();
      throw err;
    }
  }

  get name(): string {
    return this.bytes.name;
  }

  get names(): string[] {
    return [...this.header.entries.keys()];
  }

  has(name: string): boolean {
    return this.header.entries.has(name);
  }

  entry(name: string): SafetensorsEntry {
    const entry = this.header.entries.get(name);
    if (!entry) {
      const known = this.names.slice(0, 20).join(', ');
      throw new EngineError(`${this.name} has no tensor "${name}" (it holds: ${known || 'nothing'}).`, this.name);
    }
    return entry;
  }

  /** A float tensor as fp32; refuses integer tensors. */
  async float32(name: string): Promise<FloatTensor> {
    const entry = this.entry(name);
    if (!isFloatDtype(entry.dtype)) {
      throw new EngineError(`${this.name}: tensor "${name}" is ${entry.dtype}, but a float tensor was expected.`, this.name);
    }
    return decodeTensor(entry, await this.bytes.read(entry.begin, entry.end)) as FloatTensor;
  }

  async tensor(name: string): Promise<SafetensorsTensor> {
    const entry = this.entry(name);
    return decodeTensor(entry, await this.bytes.read(entry.begin, entry.end));
  }

  /** Every tensor, read with one request for the whole data section. */
  async readAll(): Promise<Map<string, SafetensorsTensor>> {
    const entries = [...this.header.entries.values()];
    const end = entries.reduce((max, e) => Math.max(max, e.end), this.header.dataStart);
    const data = await this.bytes.read(this.header.dataStart, end);
    this.bytes.close();
    const out = new Map<string, SafetensorsTensor>();
    for (const entry of entries) {
      out.set(entry.name, decodeTensor(entry, data.subarray(entry.begin - this.header.dataStart, entry.end - this.header.dataStart)));
    }
    return out;
  }

  /** Stops a streamed download that is no longer needed. */
  close(): void {
    this.bytes.close();
  }
}

function decodeTensor(entry: SafetensorsEntry, bytes: Uint8Array): SafetensorsTensor {
  const shape = [...entry.shape];
  switch (entry.dtype) {
    case 'F32':
      return { dtype: 'F32', shape, data: decodeF32(bytes) };
    case 'F16':
      return { dtype: 'F16', shape, data: decodeF16(bytes) };
    case 'BF16':
      return { dtype: 'BF16', shape, data: decodeBF16(bytes) };
    case 'I32':
      return { dtype: 'I32', shape, data: new Int32Array(bytes.slice().buffer) };
    case 'I64':
      return { dtype: 'I64', shape, data: new BigInt64Array(bytes.slice().buffer) };
  }
}

/** Reads a whole safetensors file (bytes, Blob/File or URL) into fp32 / integer arrays. */
export async function readSafetensors(input: BinaryInput, options: ByteSourceOptions = {}): Promise<Map<string, SafetensorsTensor>> {
  return (await SafetensorsFile.open(input, options)).readAll();
}
