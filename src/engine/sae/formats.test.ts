import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../runtime';
import { EngineError } from '../types';
import type { ReadChunk } from './byteSource';
import { SaeCodec } from './saeCodec';
import { loadSae } from './loadSae';
import { saeFilesFromMap, saeFilesFromUrl } from './saeFiles';
import { caseExpected, caseFileBytes, caseFiles, formatCases } from '../../../tools/testing/saeFormatCases';
import { maxAbsDiff } from '../../../tools/testing/tensorDiff';

const cases = formatCases();

describe('loading SAEs from a URL folder', () => {
  let server: Server;
  let base = '';
  // First in the file: Node's fetch loads lazily, and slowly once ORT's wasm is compiling.
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [, dir, name] = /^\/([^/]+)\/([^/]+)$/.exec(req.url ?? '') ?? [];
      const body = dir && cases.some((c) => c.dir === dir) ? caseFileBytes(dir).get(name) : undefined;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tells SAELens from sparsify by cfg.json and falls back to Gemma Scope without one', async () => {
    expect((await loadSae(saeFilesFromUrl(`${base}/saelens-gated-f32`))).architecture).toBe('gated');
    expect((await loadSae(saeFilesFromUrl(`${base}/sparsify-skip-f32`), { hookName: 'blocks.3.hook_resid_post' })).format).toBe('sparsify');
    expect((await loadSae(saeFilesFromUrl(`${base}/gemmascope-deflate`), { hookName: 'blocks.5.hook_resid_post' })).format).toBe('gemmascope');
  });

  it('says a linked folder has neither cfg.json nor params.npz, naming the link', async () => {
    await expect(loadSae(saeFilesFromUrl(`${base}/no-such-sae`))).rejects.toThrow(
      new RegExp(`${base}/no-such-sae/cfg.json: HTTP 404.*Nor is there a params\\.npz`),
    );
  });

  it('reports every chunk it reads of each file, from the first byte to the last', async () => {
    const read = new Map<string, number>();
    const onRead = (name: string, chunk: ReadChunk) => read.set(name, Math.max(read.get(name) ?? 0, chunk.start + chunk.bytes.byteLength));
    await loadSae(saeFilesFromUrl(`${base}/saelens-topk-f16`, { onRead }));
    expect(Object.fromEntries(read)).toEqual(Object.fromEntries([...caseFileBytes('saelens-topk-f16')].map(([n, b]) => [n, b.byteLength])));
  });
});

describe('loading SAEs saved by SAELens, sparsify and Gemma Scope', () => {
  beforeAll(() => initRuntime('wasm'));

  it.each(cases.map((c) => [c.dir, c] as const))('%s loads and encodes like its library', async (_dir, c) => {
    const sae = await loadSae(caseFiles(c.dir), c.format === 'saelens' ? {} : { hookName: c.hookName });
    expect(sae).toMatchObject({ format: c.format, architecture: c.architecture, hookName: c.hookName, dIn: c.dIn, dSae: c.dSae, applyBDecToInput: c.applyBDecToInput, id: c.dir });
    expect(sae.k).toBe(c.k ?? undefined);
    expect(sae.weights.W_enc).toHaveLength(c.dIn * c.dSae);
    expect(Boolean(sae.weights.W_skip)).toBe(Boolean(c.skip));

    const expected = await caseExpected(c.dir);
    const codec = await SaeCodec.create(sae);
    const featureActs = await codec.encode(expected.acts, expected.nTokens);
    expect(maxAbsDiff(featureActs, expected.featureActs)).toBeLessThan(1e-4);
    const nonzero = featureActs.filter((v) => v !== 0).length;
    expect(nonzero).toBe(expected.featureActs.filter((v) => v !== 0).length);
    const reconstruction = await codec.decode(expected.featureActs, expected.nTokens, expected.acts);
    expect(maxAbsDiff(reconstruction, expected.reconstruction)).toBeLessThan(1e-4);
    await codec.release();
  });

  it('finds the hook of a sparsify SAE from its layers.<N> folder name', async () => {
    const sae = await loadSae(saeFilesFromMap('sae-pythia/layers.3', caseFileBytes('sparsify-bf16')));
    expect(sae.hookName).toBe('blocks.3.hook_resid_post');
    expect(sae.id).toBe('layers.3');
  });

  it('asks for the hook when a sparsify folder name does not give it', async () => {
    await expect(loadSae(caseFiles('sparsify-bf16'))).rejects.toThrow(/sparsify files do not say which hook the SAE reads.*Choose the hook/);
  });

  it('finds the hook of a Gemma Scope SAE from its repository path', async () => {
    const sae = await loadSae(saeFilesFromMap('gemma-scope-2b-pt-res/layer_12/width_16k/average_l0_82', caseFileBytes('gemmascope-stored')));
    expect(sae.hookName).toBe('blocks.12.hook_resid_post');
  });

  it('refuses to encode activations of the wrong width, naming the hook', async () => {
    const sae = await loadSae(caseFiles('saelens-standard-f32'));
    const codec = await SaeCodec.create(sae);
    await expect(codec.encode(new Float32Array(7), 1)).rejects.toThrow(/expects activations of 1 tokens × 12 = 12 values, but got 7\. Does the hook \(blocks\.2\.hook_resid_pre\) match/);
    expect(await codec.encode(new Float32Array(0), 0)).toHaveLength(0);
    await codec.release();
  });
});

describe('SAE configs and weights that do not fit', () => {
  const bytes = () => caseFileBytes('saelens-topk-f16');
  const cfg = () => JSON.parse(new TextDecoder().decode(bytes().get('cfg.json'))) as Record<string, unknown>;
  const withCfg = (changes: Record<string, unknown>) => {
    const files = bytes();
    files.set('cfg.json', new TextEncoder().encode(JSON.stringify({ ...cfg(), ...changes })));
    return saeFilesFromMap('saes/my-sae', files);
  };

  it.each([
    ['a d_in that disagrees with W_enc', { d_in: 512 }, /saes\/my-sae\/cfg\.json has d_in 512 and d_sae 48, but W_enc in saes\/my-sae\/sae_weights\.safetensors is 12×48 \(expected 512×48\) — is this the right file\?/],
    ['an unknown architecture', { architecture: 'crosscoder' }, /architecture "crosscoder" is not one this explorer can run/],
    ['a normalisation it cannot apply', { normalize_activations: 'expected_average_only_in' }, /normalize_activations to "expected_average_only_in".*supports only "none"/],
    ['a k larger than d_sae', { k: 100 }, /needs k between 1 and d_sae \(48\), but k is 100/],
    ['a topk SAE without k', { k: undefined, activation_fn_kwargs: {} }, /needs k between 1 and d_sae \(48\), but k is missing/],
    ['no hook name', { hook_name: undefined }, /names no hook/],
    ['a single-head hook', { hook_head_index: 3 }, /reads only head 3 of its hook/],
    ['a jumprelu SAE without threshold', { architecture: 'jumprelu' }, /has no threshold, which a jumprelu SAE needs/],
  ])('refuses %s', async (_what, changes, message) => {
    const err = await loadSae(withCfg(changes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses weights holding NaN or Inf, saying which tensor', async () => {
    const files = caseFileBytes('saelens-standard-f32');
    const weights = files.get('sae_weights.safetensors')!;
    const headerEnd = 8 + Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, headerEnd))) as Record<string, { data_offsets: number[] }>;
    new DataView(weights.buffer, weights.byteOffset).setFloat32(headerEnd + header.b_dec.data_offsets[0] + 8, NaN, true);
    await expect(loadSae(saeFilesFromMap('saes/nan', files))).rejects.toThrow(/sae_weights\.safetensors: b_dec holds 1 NaN or infinite value \(first at index 2\)/);
  });

  it('says what is missing from a folder of unrelated files', async () => {
    await expect(loadSae(saeFilesFromMap('picked', { 'notes.txt': new Uint8Array(3) }))).rejects.toThrow(/picked holds neither cfg\.json \(SAELens, sparsify\) nor params\.npz/);
  });
});
