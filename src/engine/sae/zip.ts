/**
 * Just enough of the ZIP format (PKWARE APPNOTE 6.3) to read .npz files: the central directory
 * (ZIP64 included, which numpy writes), stored and deflated entries, CRC-32 checked. Every offset
 * and length read from the file is bounds-checked before use.
 */
import { EngineError, errorMessage } from '../types';
import type { ByteSource } from './byteSource';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate */
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

function damaged(source: string, problem: string): EngineError {
  return new EngineError(`${source} is not a valid zip (.npz) file: ${problem}.`, source);
}

/** Little-endian fields of a byte range, every read checked against its end. */
class Fields {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(at: number, width: number): void {
    if (at < 0 || at + width > this.bytes.byteLength) throw damaged(this.source, 'a record runs past the end of its section');
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(value)) throw damaged(this.source, 'a 64-bit size is beyond 2^53');
    return value;
  }
  sub(at: number, length: number): Uint8Array {
    this.check(at, length);
    return this.bytes.subarray(at, at + length);
  }
}

/** Lists the entries of a zip file from its central directory. */
export async function readZipDirectory(file: ByteSource): Promise<ZipEntry[]> {
  const size = await file.size();
  if (size === null) throw new EngineError(`${file.name}: the server did not say how large the file is, so it cannot be read as a zip.`, file.name);
  if (size < EOCD_SIZE) throw damaged(file.name, `it is ${size} bytes long, too short for a zip file`);
  const tailStart = Math.max(0, size - EOCD_SIZE - MAX_COMMENT);
  const tail = new Fields(await file.read(tailStart, size), file.name);
  let eocd = -1;
  for (let at = tail.bytes.byteLength - EOCD_SIZE; at >= 0; at--) {
    if (tail.u32(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw damaged(file.name, 'no end-of-central-directory record (not a zip file, or truncated)');
  let count = tail.u16(eocd + 10);
  let cdSize = tail.u32(eocd + 12);
  let cdOffset = tail.u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.u32(locator) !== ZIP64_LOCATOR_SIGNATURE) throw damaged(file.name, 'ZIP64 sizes without a ZIP64 locator');
    const zip64At = tail.u64(locator + 8);
    if (zip64At + 56 > size) throw damaged(file.name, 'the ZIP64 record lies past the end of the file');
    const zip64 = new Fields(await file.read(zip64At, zip64At + 56), file.name);
    if (zip64.u32(0) !== ZIP64_EOCD_SIGNATURE) throw damaged(file.name, 'the ZIP64 record has a wrong signature');
    count = zip64.u64(32);
    cdSize = zip64.u64(40);
    cdOffset = zip64.u64(48);
  }
  if (cdOffset + cdSize > size) throw damaged(file.name, `the central directory (${cdSize} bytes at ${cdOffset}) runs past the end of the ${size}-byte file`);
  const cd = new Fields(await file.read(cdOffset, cdOffset + cdSize), file.name);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (cd.u32(at) !== CENTRAL_SIGNATURE) throw damaged(file.name, `central directory entry ${i} has a wrong signature`);
    const flags = cd.u16(at + 8);
    const nameLength = cd.u16(at + 28);
    const extraLength = cd.u16(at + 30);
    const commentLength = cd.u16(at + 32);
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(cd.sub(at + 46, nameLength));
    } catch {
      throw damaged(file.name, `central directory entry ${i} has a name that is not UTF-8`);
    }
    if (flags & 1) throw new EngineError(`${file.name}: entry "${name}" is encrypted; save the arrays without a password.`, file.name);
    const entry: ZipEntry = {
      name,
      method: cd.u16(at + 10),
      crc32: cd.u32(at + 16),
      compressedSize: cd.u32(at + 20),
      uncompressedSize: cd.u32(at + 24),
      localHeaderOffset: cd.u32(at + 42),
    };
    applyZip64Extra(entry, new Fields(cd.sub(at + 46 + nameLength, extraLength), file.name), file.name);
    if (entry.localHeaderOffset + entry.compressedSize > size) throw damaged(file.name, `entry "${name}" lies past the end of the file`);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 moves sizes and offsets that overflow 32 bits into extra field 0x0001, in this order. */
function applyZip64Extra(entry: ZipEntry, extra: Fields, source: string): void {
  for (let at = 0; at + 4 <= extra.bytes.byteLength; ) {
    const id = extra.u16(at);
    const length = extra.u16(at + 2);
    if (id === 0x0001) {
      const field = new Fields(extra.sub(at + 4, length), source);
      let p = 0;
      if (entry.uncompressedSize === 0xffffffff) {
        entry.uncompressedSize = field.u64(p);
        p += 8;
      }
      if (entry.compressedSize === 0xffffffff) {
        entry.compressedSize = field.u64(p);
        p += 8;
      }
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = field.u64(p);
      return;
    }
    at += 4 + length;
  }
}

/** An entry's uncompressed bytes, checked against the size and CRC-32 the directory records. */
export async function readZipEntry(file: ByteSource, entry: ZipEntry): Promise<Uint8Array> {
  const local = new Fields(await file.read(entry.localHeaderOffset, entry.localHeaderOffset + 30), file.name);
  if (local.u32(0) !== LOCAL_SIGNATURE) throw damaged(file.name, `entry "${entry.name}" has a wrong local header signature`);
  const dataStart = entry.localHeaderOffset + 30 + local.u16(26) + local.u16(28);
  const compressed = await file.read(dataStart, dataStart + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw damaged(file.name, `stored entry "${entry.name}" has two different sizes`);
    data = compressed;
  } else if (entry.method === 8) {
    // Deflate cannot expand more than ~1032:1; a larger claim is a corrupted size, not data.
    if (entry.uncompressedSize > entry.compressedSize * 1032 + 64) {
      throw damaged(file.name, `entry "${entry.name}" claims ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed`);
    }
    data = await inflateRaw(compressed, entry.uncompressedSize, `${file.name}: entry "${entry.name}"`);
  } else {
    throw new EngineError(`${file.name}: entry "${entry.name}" uses zip compression method ${entry.method}; only stored and deflate are supported. Re-save it with numpy.savez or savez_compressed.`, file.name);
  }
  if (crc32(data) !== entry.crc32) throw damaged(file.name, `entry "${entry.name}" fails its CRC-32 check (the file is corrupted)`);
  return data;
}

/** Inflates with the platform's DecompressionStream, refusing output beyond the expected size. */
async function inflateRaw(compressed: Uint8Array, expectedSize: number, what: string): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  // Errors surface on the reader; the writer's promises would otherwise be unhandled rejections.
  writer.write(compressed as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const out = new Uint8Array(expectedSize);
  let filled = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > expectedSize) {
        reader.cancel().catch(() => {});
        throw new EngineError(`${what} inflates to more than the ${expectedSize} bytes the zip directory records; the file is corrupted.`);
      }
      out.set(value, filled);
      filled += value.byteLength;
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`${what} is not valid deflate data (${errorMessage(err)}); the file is corrupted.`);
  }
  if (filled !== expectedSize) throw new EngineError(`${what} inflates to ${filled} bytes, not the ${expectedSize} the zip directory records; the file is corrupted.`);
  return out;
}

let crcTable: Uint32Array | null = null;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.byteLength; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
