import { describe, expect, it } from 'vitest';
import { openByteSource, type ByteSource, type ReadChunk } from '../engine/sae/byteSource';
import { KeptBytes } from './keptBytes';

const FILE = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);

/** A server for FILE: honours byte ranges, or (ranges: false) answers every request with a stream of the whole file. */
function server(ranges: boolean, requests: string[]): typeof fetch {
  return (_url, init) => {
    const range = new Headers(init?.headers).get('Range') ?? '';
    requests.push(range);
    const m = /bytes=(\d+)-(\d+)/.exec(range);
    if (ranges && m) {
      const start = Number(m[1]);
      const end = Math.min(Number(m[2]) + 1, FILE.length);
      return Promise.resolve(new Response(FILE.slice(start, end), { status: 206, headers: { 'Content-Range': `bytes ${start}-${end - 1}/${FILE.length}` } }));
    }
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < FILE.length; i += 128) c.enqueue(FILE.slice(i, i + 128));
        c.close();
      },
    });
    return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Length': String(FILE.length) } }));
  };
}

async function readSome(source: ByteSource, ranges: [number, number][]): Promise<void> {
  for (const [start, end] of ranges) await source.read(start, end);
  source.close();
}

describe('KeptBytes', () => {
  it('keeps a URL read in byte ranges, reading only the gaps the parser skipped', async () => {
    const requests: string[] = [];
    const fetch = server(true, requests);
    const kept = new KeptBytes();
    await readSome(openByteSource('http://x/f', { fetch, onRead: (c) => kept.add(c) }), [[0, 8], [8, 100], [300, 1000]]);
    expect(kept.totalBytes).toBe(1000);
    expect(kept.loadedBytes).toBe(800);
    requests.length = 0;
    expect(await kept.whole(() => openByteSource('http://x/f', { fetch }))).toEqual(FILE);
    expect(requests).toEqual(['bytes=100-299']);
  });

  it('keeps a streamed URL from the chunks that arrived, reading the rest only if the parser stopped early', async () => {
    const requests: string[] = [];
    const fetch = server(false, requests);
    const whole = new KeptBytes();
    await readSome(openByteSource('http://x/f', { fetch, onRead: (c) => whole.add(c) }), [[0, 8], [8, 1000]]);
    requests.length = 0;
    expect(await whole.whole(() => openByteSource('http://x/f', { fetch }))).toEqual(FILE);
    expect(requests).toEqual([]);

    const part = new KeptBytes();
    await readSome(openByteSource('http://x/f', { fetch, onRead: (c) => part.add(c) }), [[0, 200]]);
    expect(await part.whole(() => openByteSource('http://x/f', { fetch }))).toEqual(FILE);
  });

  it('counts overlapping reads of bytes and Blobs once the size caps them, and copies overlaps right', async () => {
    const chunks: ReadChunk[] = [];
    const source = openByteSource(new Blob([FILE]), { onRead: (c) => chunks.push(c) });
    await readSome(source, [[0, 600], [500, 1000], [900, 1000]]);
    const kept = new KeptBytes();
    for (const c of chunks) kept.add(c);
    expect(kept.loadedBytes).toBe(1000);
    expect(await kept.whole(() => openByteSource(new Blob([FILE])))).toEqual(FILE);
  });
});
