/**
 * Little-endian binary writing and bounds-checked reading for the dashboard shards. A reader that
 * runs past the end throws, so a truncated or damaged file is reported, never half-decoded.
 */

export class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  /** Makes room for n bytes and returns where they start; the view may be replaced, so read it after. */
  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, at + n));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += n;
    return at;
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  i8(v: number): void {
    const at = this.reserve(1);
    this.view.setInt8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }
  i16(v: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buffer.set(b, at);
  }
  /** An unsigned integer in LEB128: 7 bits per byte, low bits first; small counts take one byte. */
  varUint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varUint: ${v} is not a non-negative integer`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }
  /** Overwrites a u32 written earlier (offset tables filled in afterwards). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Thrown when a read runs past the end or a value is impossible; the caller names the file. */
export class CorruptDataError extends Error {
  override name = 'CorruptDataError';
}

export class ByteReader {
  private readonly view: DataView;
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  private take(n: number): number {
    const at = this.offset;
    if (at + n > this.bytes.byteLength) {
      throw new CorruptDataError(`it ends at byte ${this.bytes.byteLength} but a value at byte ${at} needs ${n} more`);
    }
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  f32(): number {
    const v = this.view.getFloat32(this.take(4), true);
    if (!Number.isFinite(v)) throw new CorruptDataError(`byte ${this.offset - 4} holds ${v}, not a finite number`);
    return v;
  }
  varUint(): number {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    throw new CorruptDataError(`a variable-length number at byte ${this.offset} runs past 5 bytes`);
  }
  bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }
}

/** Compresses with gzip through the platform's CompressionStream (browsers and Node ≥ 18). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('gzip'));
}

/** Inverse of gzip; throws CorruptDataError when the data is not valid gzip (its CRC included). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return await pipe(bytes, new DecompressionStream('gzip'));
  } catch {
    // The platform's own message here is unhelpful ("Failed to fetch" in Chromium).
    throw new CorruptDataError('its gzip-compressed body does not decompress (bytes changed or cut off)');
  }
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}
