import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type LoadProgress } from '../types';
import { downloadBytes, parseJsonFile } from './download';
import { bundleBaseUrl, fileUrl } from './location';
import type { ResponseCache } from './responseCache';

const BIG = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i * 7) & 0xff);
const BIG_SHA256 = createHash('sha256').update(BIG).digest('hex');
const WHOLE = { bytes: BIG.length, sha256: BIG_SHA256 };
/** What the server sends for /b/tagged.bin: the whole file, or its first `cutTo` bytes, always under the same ETag. */
let cutTo: number | null = null;
const requests: { url: string; ifNoneMatch: string | undefined; status: number }[] = [];

/** The Cache API's part in downloads, held in memory (Node has no Cache API). */
class MemoryCache implements ResponseCache {
  readonly kept = new Map<string, { body: Uint8Array; headers: [string, string][] }>();
  match(url: string) {
    const hit = this.kept.get(url);
    return Promise.resolve(hit ? new Response(hit.body.slice(), { headers: hit.headers }) : undefined);
  }
  async put(url: string, response: Response) {
    this.kept.set(url, { body: new Uint8Array(await response.arrayBuffer()), headers: [...response.headers] });
  }
  delete(url: string) {
    this.kept.delete(url);
    return Promise.resolve();
  }
}

/** A real HTTP server: streamed bodies, a 404, a body cut short of its Content-Length. */
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/b/tagged.bin') {
      const revalidated = req.headers['if-none-match'] === '"v1"';
      requests.push({ url: req.url, ifNoneMatch: req.headers['if-none-match'], status: revalidated ? 304 : 200 });
      if (revalidated) {
        res.writeHead(304, { ETag: '"v1"' });
        res.end();
        return;
      }
      const body = cutTo === null ? BIG : BIG.subarray(0, cutTo);
      res.writeHead(200, { ETag: '"v1"', 'Content-Length': String(body.length) });
      res.end(body);
    } else if (req.url === '/b/big.bin') {
      res.writeHead(200, { 'Content-Length': String(BIG.length) });
      // in pieces, so the client sees a stream
      for (let i = 0; i < BIG.length; i += 100_000) res.write(BIG.subarray(i, i + 100_000));
      res.end();
    } else if (req.url === '/b/cut.bin') {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write(new Uint8Array(10));
      res.destroy();
    } else if (req.url === '/b/page.json') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>not found</html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('bundle downloads', () => {
  it('streams a file, reporting initiate, progress and done with byte counts', async () => {
    const events: LoadProgress[] = [];
    const bytes = await downloadBytes(`${origin}/b/big.bin`, { file: 'big.bin', onProgress: (p) => events.push(p) });
    expect(Buffer.from(bytes).equals(BIG)).toBe(true);
    // announced before the request, sized once the server answers
    expect(events[0]).toEqual({ file: 'big.bin', status: 'initiate', loadedBytes: 0, totalBytes: null });
    expect(events[1]).toEqual({ file: 'big.bin', status: 'progress', loadedBytes: 0, totalBytes: BIG.length });
    expect(events.at(-1)).toEqual({ file: 'big.bin', status: 'done', loadedBytes: BIG.length, totalBytes: BIG.length });
    const progress = events.filter((e) => e.status === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((e, i) => i === 0 || e.loadedBytes > progress[i - 1]!.loadedBytes)).toBe(true);
  });

  it('names the file when the server has none', async () => {
    const err = await downloadBytes(`${origin}/b/model.onnx`, { file: 'model.onnx' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).source).toBe('model.onnx');
    expect((err as EngineError).code).toBe('not-found');
    expect((err as Error).message).toMatch(/Could not download model\.onnx: the server answered 404/);
  });

  it('notices a download that stops short', async () => {
    await expect(downloadBytes(`${origin}/b/cut.bin`, { file: 'cut.bin' })).rejects.toThrow(/cut\.bin/);
  });

  it('refuses, and does not keep, a body cut short under the real ETag and length, then keeps the whole file', async () => {
    const cache = new MemoryCache();
    const url = `${origin}/b/tagged.bin`;
    cutTo = 400_000;
    const err = await downloadBytes(url, { file: 'tagged.bin', cache, expected: WHOLE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('truncated');
    expect((err as EngineError).source).toBe('tagged.bin');
    expect((err as Error).message).toMatch(/tagged\.bin has 400,000 bytes, but the bundle's manifest says 1,000,000/);
    expect(cache.kept.size).toBe(0);

    cutTo = null;
    expect(Buffer.from(await downloadBytes(url, { file: 'tagged.bin', cache, expected: WHOLE })).equals(BIG)).toBe(true);
    expect(cache.kept.get(url)?.body.byteLength).toBe(BIG.length);
  });

  it('evicts a cached copy that does not match the manifest, though the server says it is current, and fetches it again', async () => {
    const cache = new MemoryCache();
    const url = `${origin}/b/tagged.bin`;
    cache.kept.set(url, { body: BIG.slice(0, 1000), headers: [['etag', '"v1"']] });
    requests.length = 0;
    const events: LoadProgress['status'][] = [];
    const bytes = await downloadBytes(url, { file: 'tagged.bin', cache, expected: WHOLE, onProgress: (p) => events.push(p.status) });
    expect(Buffer.from(bytes).equals(BIG)).toBe(true);
    expect(requests.map((r) => [r.ifNoneMatch, r.status])).toEqual([['"v1"', 304], [undefined, 200]]);
    expect(events).not.toContain('cached');
    expect(cache.kept.get(url)?.body.byteLength).toBe(BIG.length);

    // A whole copy is used as it is.
    requests.length = 0;
    const again: LoadProgress['status'][] = [];
    await downloadBytes(url, { file: 'tagged.bin', cache, expected: WHOLE, onProgress: (p) => again.push(p.status) });
    expect(requests.map((r) => r.status)).toEqual([304]);
    expect(again).toEqual(['initiate', 'cached']);
  });

  it('refuses a file whose SHA-256 differs from the manifest’s, cached or not', async () => {
    const cache = new MemoryCache();
    const url = `${origin}/b/tagged.bin`;
    const other = { bytes: BIG.length, sha256: '0'.repeat(64) };
    const err = await downloadBytes(url, { file: 'tagged.bin', cache, expected: other }).catch((e: unknown) => e);
    expect((err as EngineError).code).toBe('invalid');
    expect((err as Error).message).toMatch(/tagged\.bin is damaged: its SHA-256 is [0-9a-f]{12}…, but the bundle's manifest says 000000000000…/);
    expect(cache.kept.size).toBe(0);
  });

  it('says when a JSON file is not JSON', async () => {
    const bytes = await downloadBytes(`${origin}/b/page.json`, { file: 'page.json' });
    expect(() => parseJsonFile(bytes, 'page.json')).toThrow(/page\.json is not valid JSON/);
  });

  it('reads folder paths from disk in Node, with the same events and errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    writeFileSync(path.join(dir, 'manifest.json'), '{"a": 1}');
    const base = bundleBaseUrl(dir);
    expect(base).toMatch(/^file:\/\/.*\/$/);
    const events: LoadProgress['status'][] = [];
    const bytes = await downloadBytes(fileUrl(base, 'manifest.json'), { file: 'manifest.json', onProgress: (p) => events.push(p.status) });
    expect(parseJsonFile(bytes, 'manifest.json')).toEqual({ a: 1 });
    expect(events).toEqual(['initiate', 'done']);
    await expect(downloadBytes(fileUrl(base, 'model.onnx'), { file: 'model.onnx' })).rejects.toThrow(/model\.onnx does not exist/);
    // checked against the manifest on disk too
    await expect(downloadBytes(fileUrl(base, 'manifest.json'), { file: 'manifest.json', expected: { bytes: 9 } })).rejects.toThrow(
      /manifest\.json has 8 bytes, but the bundle's manifest says 9/,
    );
  });
});

describe('bundle locations', () => {
  it('accepts a folder URL, a manifest URL and a relative folder', () => {
    expect(bundleBaseUrl('https://cdn.test/models/x')).toBe('https://cdn.test/models/x/');
    expect(bundleBaseUrl('https://cdn.test/models/x/manifest.json')).toBe('https://cdn.test/models/x/');
    expect(bundleBaseUrl('models/x')).toBe(`file://${process.cwd()}/models/x/`);
  });

  it('keeps manifest paths inside the bundle', () => {
    expect(fileUrl('https://cdn.test/m/', 'saes/a/cfg.json')).toBe('https://cdn.test/m/saes/a/cfg.json');
    expect(() => fileUrl('https://cdn.test/m/', 'https://evil.test/x')).toThrow(/not a path inside the bundle/);
    expect(() => fileUrl('https://cdn.test/m/', '/etc/passwd')).toThrow(/not a path inside the bundle/);
  });
});
