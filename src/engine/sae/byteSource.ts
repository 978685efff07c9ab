/**
 * Random access to the bytes of a file, wherever it lives: in memory, in a Blob/File the reader
 * picked, or behind a URL. Parsers read a header first and only then the parts they need, so a
 * 2 GB file with a broken header is refused after reading a few bytes of it.
 */
import { EngineError } from '../types';

/** What a parser accepts: bytes in memory, a Blob/File, or a URL (absolute, or relative to the page). */
export type BinaryInput = ArrayBuffer | Uint8Array | Blob | URL | string;

export interface ByteSource {
  /** file name or URL, for messages */
  readonly name: string;
  /** total size in bytes (a compressed HTTP response must be read whole to learn it); null if unknowable */
  size(): Promise<number | null>;
  /**
   * Bytes [start, end). Throws EngineError when the file ends before `end`. The result may share
   * memory with the source; copy it before writing to it.
   */
  read(start: number, end: number): Promise<Uint8Array>;
  /** stop any download still in flight (after an error, or once everything needed is read) */
  close(): void;
}

export interface ByteSourceOptions {
  /** name used in messages; defaults to the File's name or the URL */
  name?: string;
  /** the fetch to use for URLs (tests pass their own) */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /**
   * Sees every chunk of the file as it arrives from memory, the Blob or the network (a progress
   * bar counts them; a URL's bytes are kept from them without downloading the file twice).
   */
  onRead?: (chunk: ReadChunk) => void;
}

/** Bytes [start, start + bytes.length) of a file of `totalBytes` (null while unknown). Never written to. */
export interface ReadChunk {
  start: number;
  bytes: Uint8Array;
  totalBytes: number | null;
}

export function openByteSource(input: BinaryInput, options: ByteSourceOptions = {}): ByteSource {
  const onRead = options.onRead ?? (() => {});
  if (input instanceof ArrayBuffer) return memorySource(new Uint8Array(input), options.name ?? 'buffer', onRead);
  if (input instanceof Uint8Array) return memorySource(input, options.name ?? 'buffer', onRead);
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const fileName = (input as Partial<File>).name;
    return blobSource(input, options.name ?? (fileName || 'file'), onRead);
  }
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new EngineError('Cannot read this input: expected bytes, a File/Blob or a URL.', options.name);
  }
  const url = input instanceof URL ? input.href : input;
  // Called as a method later, a bare `fetch` loses its global and throws "Illegal invocation".
  return new UrlSource(url, options.name ?? url, options.fetch ?? ((input, init) => fetch(input, init)), options.signal, onRead);
}

function truncated(name: string, end: number, size: number): EngineError {
  return new EngineError(
    `${name} ends after ${size} bytes, but its contents need ${end} — the file is truncated (an interrupted download?). Fetch it again.`,
    name,
    'truncated',
  );
}

function checkRange(name: string, start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new EngineError(`${name}: internal error, bad byte range [${start}, ${end})`, name);
  }
}

function memorySource(bytes: Uint8Array, name: string, onRead: (chunk: ReadChunk) => void): ByteSource {
  return {
    name,
    size: () => Promise.resolve(bytes.byteLength),
    read(start, end) {
      checkRange(name, start, end);
      if (end > bytes.byteLength) return Promise.reject(truncated(name, end, bytes.byteLength));
      const chunk = bytes.subarray(start, end);
      onRead({ start, bytes: chunk, totalBytes: bytes.byteLength });
      return Promise.resolve(chunk);
    },
    close() {},
  };
}

function blobSource(blob: Blob, name: string, onRead: (chunk: ReadChunk) => void): ByteSource {
  return {
    name,
    size: () => Promise.resolve(blob.size),
    async read(start, end) {
      checkRange(name, start, end);
      if (end > blob.size) throw truncated(name, end, blob.size);
      let chunk: Uint8Array;
      try {
        chunk = new Uint8Array(await blob.slice(start, end).arrayBuffer());
      } catch (err) {
        throw new EngineError(`Could not read ${name}: ${String(err)}. Pick the file again.`, name);
      }
      onRead({ start, bytes: chunk, totalBytes: blob.size });
      return chunk;
    },
    close() {},
  };
}

/**
 * A URL read with HTTP Range requests when the server honours them (206), else by streaming the
 * one full response, buffering only as far as the parser has asked.
 */
class UrlSource implements ByteSource {
  private mode: 'unknown' | 'ranges' | 'stream' = 'unknown';
  private totalSize: number | null = null;
  private streamed: StreamBuffer | null = null;

  constructor(
    private readonly url: string,
    readonly name: string,
    private readonly fetchFn: typeof fetch,
    private readonly signal: AbortSignal | undefined,
    private readonly onRead: (chunk: ReadChunk) => void,
  ) {}

  async size(): Promise<number | null> {
    if (this.mode === 'unknown') await this.read(0, 0);
    // A compressed response does not say its decoded size: the only way to learn it is to read it.
    if (this.mode === 'stream' && this.totalSize === null) this.totalSize = await this.streamed!.drain();
    return this.totalSize;
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    checkRange(this.name, start, end);
    if (this.mode === 'unknown') return this.firstRead(start, end);
    if (this.mode === 'stream') return this.streamed!.read(start, end);
    if (this.totalSize !== null && end > this.totalSize) throw truncated(this.name, end, this.totalSize);
    if (end === start) return new Uint8Array(0);
    const response = await this.get(`bytes=${start}-${end - 1}`);
    if (response.status !== 206) {
      throw new EngineError(`${this.name}: the server stopped honouring byte ranges (HTTP ${response.status}).`, this.name);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== end - start) throw truncated(this.name, end, start + bytes.byteLength);
    this.onRead({ start, bytes, totalBytes: this.totalSize });
    return bytes;
  }

  close(): void {
    this.streamed?.cancel();
  }

  private async firstRead(start: number, end: number): Promise<Uint8Array> {
    // Ask for at least one byte: some servers answer `bytes=0--1` with an error.
    const response = await this.get(`bytes=${start}-${Math.max(end, start + 1) - 1}`);
    if (response.status === 416) {
      this.mode = 'ranges';
      this.totalSize = parseContentRangeTotal(response.headers.get('content-range')) ?? start;
      if (end > this.totalSize) throw truncated(this.name, end, this.totalSize);
      return new Uint8Array(0);
    }
    if (response.status === 206) {
      this.mode = 'ranges';
      this.totalSize = parseContentRangeTotal(response.headers.get('content-range'));
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength < end - start) throw truncated(this.name, end, start + bytes.byteLength);
      this.onRead({ start, bytes, totalBytes: this.totalSize });
      return bytes.subarray(0, end - start);
    }
    if (!response.body) throw new EngineError(`${this.name}: the response has no body.`, this.name);
    this.mode = 'stream';
    // Content-Length counts the encoded bytes when the server compressed the response.
    const encoded = response.headers.get('content-encoding');
    const length = Number(response.headers.get('content-length'));
    this.totalSize = !encoded && Number.isSafeInteger(length) && length >= 0 && response.headers.has('content-length') ? length : null;
    this.streamed = new StreamBuffer(response.body.getReader(), this.name, this.totalSize, this.onRead);
    return this.streamed.read(start, end);
  }

  private async get(range: string): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchFn(this.url, { headers: { Range: range }, signal: this.signal });
    } catch (err) {
      throw new EngineError(`Could not fetch ${this.name}: ${String(err)}. Check the URL and your connection.`, this.name, 'network');
    }
    if (!response.ok && response.status !== 416) {
      response.body?.cancel().catch(() => {});
      throw new EngineError(`Could not fetch ${this.name}: HTTP ${response.status} ${response.statusText}.`, this.name, response.status === 404 ? 'not-found' : 'http');
    }
    return response;
  }
}

function parseContentRangeTotal(header: string | null): number | null {
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match ? Number(match[1]) : null;
}

/** The bytes of one streamed response, kept as they arrive and pulled only as far as needed. */
class StreamBuffer {
  private buffer: Uint8Array;
  private filled = 0;
  private done = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly label: string,
    private readonly expectedSize: number | null,
    private readonly onRead: (chunk: ReadChunk) => void,
  ) {
    // Trust Content-Length for the first allocation only up to 256 MB; beyond that, grow as bytes come.
    this.buffer = new Uint8Array(Math.min(expectedSize ?? 1 << 16, 1 << 28));
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    while (this.filled < end && !this.done) {
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else this.append(value);
    }
    if (this.filled < end) throw truncated(this.label, end, this.filled);
    return this.buffer.subarray(start, end);
  }

  /** Reads the rest of the response; returns its total length. */
  async drain(): Promise<number> {
    await this.read(0, Number.MAX_SAFE_INTEGER).catch(() => {});
    return this.filled;
  }

  cancel(): void {
    if (!this.done) {
      this.done = true;
      this.reader.cancel().catch(() => {});
    }
  }

  private append(chunk: Uint8Array): void {
    if (this.filled + chunk.byteLength > this.buffer.byteLength) {
      const grown = new Uint8Array(Math.max(this.buffer.byteLength * 2, this.filled + chunk.byteLength));
      grown.set(this.buffer.subarray(0, this.filled));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.filled);
    this.onRead({ start: this.filled, bytes: chunk, totalBytes: this.expectedSize });
    this.filled += chunk.byteLength;
  }
}
