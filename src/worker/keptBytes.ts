/**
 * The bytes of one file, kept from the chunks the parser read (see ByteSourceOptions.onRead), so a
 * reader's SAE loaded from a URL can be stored in the browser without downloading it twice. What the
 * parser skipped (padding, tensors no architecture uses) is read afterwards, range by range.
 */
import type { ByteSource, ReadChunk } from '../engine/sae/byteSource';
import { EngineError } from '../errors/engineError';

export class KeptBytes {
  private readonly chunks: ReadChunk[] = [];
  private total: number | null = null;
  private seen = 0;

  add(chunk: ReadChunk): void {
    this.chunks.push(chunk);
    if (chunk.totalBytes !== null) this.total = chunk.totalBytes;
    this.seen += chunk.bytes.byteLength;
  }

  /** bytes read so far (a byte read twice counts twice, so it is capped by the size when known) */
  get loadedBytes(): number {
    return this.total === null ? this.seen : Math.min(this.seen, this.total);
  }

  get totalBytes(): number | null {
    return this.total;
  }

  /** The whole file: the kept chunks, and the gaps between them read from `rest`. */
  async whole(rest: () => ByteSource): Promise<Uint8Array> {
    let source: ByteSource | null = null;
    const open = () => (source ??= rest());
    try {
      const total = this.total ?? (await open().size());
      if (total === null) throw new EngineError(`${open().name}: the server does not say how large the file is, so it cannot be kept.`, open().name);
      const out = new Uint8Array(total);
      const sorted = [...this.chunks].sort((a, b) => a.start - b.start);
      let covered = 0;
      for (const { start, bytes } of sorted) {
        const end = Math.min(start + bytes.byteLength, total);
        if (start > covered) out.set(await open().read(covered, start), covered);
        if (end > covered) out.set(bytes.subarray(Math.max(0, covered - start), end - start), Math.max(covered, start));
        covered = Math.max(covered, end);
      }
      if (covered < total) out.set(await open().read(covered, total), covered);
      return out;
    } finally {
      (source as ByteSource | null)?.close();
    }
  }
}
