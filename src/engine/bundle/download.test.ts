import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type LoadProgress } from '../types';
import { downloadBytes, downloadJson } from './download';
import { bundleBaseUrl, fileUrl } from './location';

const BIG = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i * 7) & 0xff);

/** A real HTTP server: streamed bodies, a 404, a body cut short of its Content-Length. */
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/b/big.bin') {
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

  it('says when a JSON file is not JSON', async () => {
    await expect(downloadJson(`${origin}/b/page.json`, { file: 'page.json' })).rejects.toThrow(/page\.json is not valid JSON/);
  });

  it('reads folder paths from disk in Node, with the same events and errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    writeFileSync(path.join(dir, 'manifest.json'), '{"a": 1}');
    const base = bundleBaseUrl(dir);
    expect(base).toMatch(/^file:\/\/.*\/$/);
    const events: LoadProgress['status'][] = [];
    expect(await downloadJson(fileUrl(base, 'manifest.json'), { file: 'manifest.json', onProgress: (p) => events.push(p.status) })).toEqual({ a: 1 });
    expect(events).toEqual(['initiate', 'done']);
    await expect(downloadBytes(fileUrl(base, 'model.onnx'), { file: 'model.onnx' })).rejects.toThrow(/model\.onnx does not exist/);
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
