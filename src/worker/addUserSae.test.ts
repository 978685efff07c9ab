import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { Engine } from '../engine/engine';
import type { LoadProgress } from '../engine/types';
import { addUserSae } from './addUserSae';

const LOAD_TIMEOUT_MS = 300_000;

describe('adding a reader’s SAE', () => {
  let engine: Engine;
  let server: Server;
  let base = '';
  const dir = testBundleDir();
  let sae: Engine['manifest']['saes'][number];
  let files: Record<string, Buffer>;

  beforeAll(async () => {
    engine = await Engine.load(dir, { backend: 'wasm' });
    sae = engine.manifest.saes.find((s) => s.kind === 'resid')!;
    files = Object.fromEntries(['cfg.json', 'sae_weights.safetensors'].map((f) => [f, readFileSync(path.join(dir, sae.path, f))]));
    // Serves the SAE's files under /<any folder>/<file>, in parts, without byte ranges.
    server = createServer((req, res) => {
      const body = files[(req.url ?? '').split('/').pop()!];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': body.length });
      for (let i = 0; i < body.length; i += 65536) res.write(body.subarray(i, i + 65536));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, LOAD_TIMEOUT_MS);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('from a URL: reports bytes per file, names it after the folder, and hands back the files whole', async () => {
    const events: LoadProgress[] = [];
    const added = await addUserSae(engine, { kind: 'url', url: `${base}/org/repo/resolve/main/my-sae/cfg.json` }, { onProgress: (p) => events.push(p) });
    expect(added.saeId).toBe('my-sae');
    expect(added.hookName).toBe(sae.hook_name);
    const weights = events.filter((e) => e.file === 'sae_weights.safetensors');
    expect(weights[0]!.status).toBe('initiate');
    expect(weights.at(-1)).toEqual({ file: 'sae_weights.safetensors', status: 'done', loadedBytes: files['sae_weights.safetensors']!.length, totalBytes: files['sae_weights.safetensors']!.length });
    expect(weights.some((e) => e.status === 'progress' && e.loadedBytes < e.totalBytes!)).toBe(true);
    expect(added.downloaded!.map((f) => f.path).sort()).toEqual(['my-sae/cfg.json', 'my-sae/sae_weights.safetensors']);
    for (const f of added.downloaded!) expect(Buffer.from(await f.file.arrayBuffer())).toEqual(files[f.path.split('/')[1]!]);
    expect(engine.listSaes().find((s) => s.id === 'my-sae')?.source).toBe('user');
  }, 240_000);

  it('from loose files, twice: two SAEs under ids that say what they are, and nothing handed back', async () => {
    const source = { kind: 'files' as const, files: Object.entries(files).map(([name, bytes]) => ({ path: name, file: new Blob([new Uint8Array(bytes)]) })) };
    const first = await addUserSae(engine, source);
    const second = await addUserSae(engine, source);
    expect(first.saeId).toBe(`saelens-L${sae.layer}-resid-${sae.architecture}`);
    expect(second.saeId).toBe(`${first.saeId}-2`);
    expect(first.downloaded).toBeUndefined();
    // Loaded again after a reload, it keeps the id it was stored under.
    expect((await addUserSae(engine, source, { saeId: first.saeId })).saeId).toBe(first.saeId);
    // An id kept for another model is not given again.
    const third = await addUserSae(engine, source, { reserved: [`${first.saeId}-3`] });
    expect(third.saeId).toBe(`${first.saeId}-4`);
    expect(engine.listSaes().filter((s) => s.source === 'user').map((s) => s.id).sort()).toEqual(['my-sae', first.saeId, second.saeId, third.saeId].sort());
  }, 240_000);
});
