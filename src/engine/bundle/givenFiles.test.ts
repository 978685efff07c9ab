import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { tinyGpt2, writeHfFolder } from '../../../tools/testing/tinyGpt2';
import { Engine } from '../engine';
import type { LoadProgress } from '../types';
import { Bundle } from './bundle';
import { readGivenFile } from './givenFiles';

const TIMEOUT_MS = 120_000;
const folder = writeHfFolder(tinyGpt2(), path.join(testBundleDir(), 'tokenizer.json'));
/** The folder's files as a page hands them to the worker: Blobs by their path inside it. */
const given = (except: string[] = [], replaced: Record<string, string> = {}) =>
  new Map(
    readdirSync(folder)
      .filter((name) => !except.includes(name))
      .map((name) => [name, new Blob([replaced[name] ?? readFileSync(path.join(folder, name))])] as const),
  );
const named = (name: string, processing = 'none') => `https://example.org/app/local-models/${name}/?processing=${processing}`;

async function failure(run: () => Promise<unknown>): Promise<Error & { code?: string; source?: string }> {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error & { code?: string; source?: string };
}

describe('a Hugging Face folder given as files', () => {
  it('opens exactly as the same folder at a URL: the same manifest and the same activations', async () => {
    const events: LoadProgress[] = [];
    const [fromFiles, fromFolder] = await Promise.all([
      Engine.load(named('tiny'), { backend: 'wasm', files: given(), onProgress: (p) => events.push(p) }),
      Engine.load(`${folder}/?processing=none`, { backend: 'wasm' }),
    ]);
    expect(fromFiles.manifest.name).toBe('tiny');
    expect({ ...fromFiles.manifest, name: '' }).toEqual({ ...fromFolder.manifest, name: '' });
    const ids = [0, 17, 400, 3000, 5];
    const hooks = fromFiles.manifest.model.hooks;
    const [a, b] = await Promise.all([fromFiles.model.run(ids, hooks), fromFolder.model.run(ids, hooks)]);
    for (const hook of hooks) expect(a.hooks[hook]!.data, hook).toEqual(b.hooks[hook]!.data);
    expect(a.logits.data).toEqual(b.logits.data);
    // Each file is reported from its start to its end, in bytes.
    const weights = events.filter((e) => e.file === 'model.safetensors');
    expect(weights[0]!.status).toBe('initiate');
    expect(weights.at(-1)).toMatchObject({ status: 'done', loadedBytes: weights[0]!.totalBytes });
  }, TIMEOUT_MS);

  it('takes the processing from the address that names it', async () => {
    const bundle = await Bundle.openFiles(named('tiny', 'fold_ln'), given());
    expect(bundle.manifest).toMatchObject({ hf: { processing: { fold_ln: true, center_writing_weights: false } } });
  });

  it('names the file that is missing', async () => {
    const noConfig = await failure(() => Bundle.openFiles(named('x'), given(['config.json'])));
    expect(noConfig.message).toMatch(/The files you gave have no config\.json.*model\.safetensors and tokenizer\.json/);
    expect(noConfig.code).toBe('not-found');
    const noTokenizer = await failure(() => Engine.load(named('x'), { backend: 'wasm', files: given(['tokenizer.json']) }));
    expect(noTokenizer.message).toMatch(/tokenizer\.json is not among the files you gave \(config\.json, model\.safetensors\)/);
    const noWeights = await failure(() => Engine.load(named('x'), { backend: 'wasm', files: given(['model.safetensors']) }));
    expect(noWeights.message).toMatch(/model\.safetensors is not in the folder/);
  }, TIMEOUT_MS);

  it('refuses a config of another architecture, and weights of other shapes, naming what is wrong', async () => {
    const llama = await failure(() => Bundle.openFiles(named('x'), given([], { 'config.json': '{"model_type": "llama"}' })));
    expect(llama.message).toMatch(/"llama"/);
    const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    const wider = JSON.stringify({ ...config, n_embd: 32 });
    const shapes = await failure(() => Engine.load(named('x'), { backend: 'wasm', files: given([], { 'config.json': wider }) }));
    expect(shapes.message).toMatch(/model\.safetensors: tensor "transformer\.h\.0\.ln_1\.weight" has shape \[16\], but config\.json implies \[32\]/);
    const notJson = await failure(() => Bundle.openFiles(named('x'), given([], { 'config.json': 'PK\u0003\u0004' })));
    expect(notJson.message).toMatch(/config\.json is not valid JSON/);
  }, TIMEOUT_MS);

  it('reads a file with progress and checks it against what is expected of it', async () => {
    const files = new Map([['a.bin', new Blob([new Uint8Array(10)])]]);
    const events: string[] = [];
    const bytes = await readGivenFile(files, 'a.bin', { file: 'a.bin', onProgress: (p) => events.push(`${p.status} ${p.loadedBytes}/${p.totalBytes}`) });
    expect(bytes.byteLength).toBe(10);
    expect(events[0]).toBe('initiate 0/10');
    expect(events.at(-1)).toBe('done 10/10');
    await expect(readGivenFile(files, 'a.bin', { file: 'a.bin', expected: { bytes: 11 } })).rejects.toThrow(/a\.bin has 10 bytes/);
  });
});
