import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { tinyGpt2, writeHfFolder } from '../../../tools/testing/tinyGpt2';
import { Engine } from '../engine';
import type { Tensor } from '../types';
import { hfManifest, hfModelName } from './hfFolder';

const TIMEOUT_MS = 120_000;
const tokenizer = () => path.join(testBundleDir(), 'tokenizer.json');
const model = tinyGpt2();
const folder = writeHfFolder(model, tokenizer());

const floats = (t: Tensor) => t.data as Float32Array;

/** Each row of `width` minus its mean. */
function centred(x: Float32Array, width: number): Float32Array {
  const out = Float32Array.from(x);
  for (let r = 0; r < x.length; r += width) {
    let mean = 0;
    for (let j = 0; j < width; j++) mean += x[r + j]! / width;
    for (let j = 0; j < width; j++) out[r + j]! -= mean;
  }
  return out;
}

function expectClose(a: Float32Array, b: Float32Array, what: string, tolerance = 1e-4): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst, what).toBeLessThan(tolerance);
}

describe('a Hugging Face GPT-2 folder opened by the engine', () => {
  it('changes the hooks as each TransformerLens setting says, and nothing else', async () => {
    const [raw, processed, foldOnly] = await Promise.all(
      ['none', 'fold_ln,center_writing_weights,center_unembed,fold_value_biases', 'fold_ln'].map((p) => Engine.load(`${folder}/?processing=${p}`, { backend: 'wasm' })),
    );
    const ids = [0, 17, 400, 3000, 5, 99, 2048];
    const hooks = raw!.manifest.model.hooks;
    const [r, p, f] = await Promise.all([raw!, processed!, foldOnly!].map((e) => e.model.run(ids, hooks)));
    const d = 16;
    // The value bias fold_value_biases removes is b_V after fold_ln: b_V + ln_1.bias · W_V.
    const tensor = (name: string) => model.tensors[`transformer.h.1.${name}`]!.data as Float32Array;
    const bV = Float32Array.from({ length: d }, (_, j) => {
      let sum = tensor('attn.c_attn.bias')[2 * d + j]!;
      for (let i = 0; i < d; i++) sum += tensor('ln_1.bias')[i]! * tensor('attn.c_attn.weight')[i * 3 * d + 2 * d + j]!;
      return sum;
    });
    for (const name of hooks) {
      // fold_ln alone moves no hook
      expectClose(floats(f!.hooks[name]!), floats(r!.hooks[name]!), `fold_ln: ${name}`);
      const got = floats(p!.hooks[name]!);
      const was = floats(r!.hooks[name]!);
      if (/hook_(resid_pre|resid_post|mlp_out)$/.test(name)) expectClose(got, centred(was, d), `centred: ${name}`);
      if (name.endsWith('hook_pattern')) expectClose(got, was, name);
      if (name === 'blocks.1.attn.hook_z' || name === 'blocks.1.attn.hook_v') expectClose(got, was.map((v, i) => v - bV[i % d]!), `without b_V: ${name}`);
    }
    expectClose(floats(f!.logits), floats(r!.logits), 'fold_ln: logits');
    expectClose(floats(p!.logits), centred(floats(r!.logits), 4096), 'centred logits');
    // The analyses' weights come from the processed model: its W_U is centred over the vocabulary.
    const { W_U } = await processed!.modelWeights();
    expectClose(centred(W_U.subarray(0, 4096), 4096), W_U.subarray(0, 4096), 'W_U centred');
  }, TIMEOUT_MS);

  it('generates with the key/value-cached decoder built from the same graph: its logits equal the full run’s, processed or not', async () => {
    for (const processing of ['none', 'fold_ln,center_writing_weights,center_unembed,fold_value_biases']) {
      const engine = await Engine.load(`${folder}/?processing=${processing}`, { backend: 'wasm' });
      const ids = [0, 17, 400, 3000, 5, 99];
      const full = floats((await engine.model.run(ids, [])).logits);
      const cached = await engine.cachedModel();
      let step = await cached.step(ids.slice(0, 3), cached.emptyCache());
      const got = [...step.logits];
      for (const id of ids.slice(3)) {
        step = await cached.step([id], step.cache);
        got.push(...step.logits);
      }
      expectClose(Float32Array.from(got), full, `cached decoder, processing=${processing}`);
    }
  }, TIMEOUT_MS);

  it('refuses a tokenizer of another type, naming the file', async () => {
    const dir = writeHfFolder(model, tokenizer());
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'WordPiece', vocab: { a: 0 } } }));
    await expect(Engine.load(dir, { backend: 'wasm' })).rejects.toThrow(/tokenizer\.json: model\.type is "WordPiece"; SAE Explorer reads byte-level BPE tokenizers/);
  }, TIMEOUT_MS);

  it('says when a folder is neither a bundle nor a Hugging Face model, and refuses weights that do not match config.json', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'empty-'));
    await expect(Engine.load(empty, { backend: 'wasm' })).rejects.toThrow(/has neither manifest\.json \(an SAE Explorer bundle\) nor config\.json \(a Hugging Face model\)/);
    const sharded = writeHfFolder(model, tokenizer());
    rmSync(path.join(sharded, 'model.safetensors'));
    await expect(Engine.load(sharded, { backend: 'wasm' })).rejects.toThrow(/model\.safetensors is not in the folder\. Only a single safetensors file is read/);
    const other = writeHfFolder({ ...model, config: { ...model.config, n_embd: 32 } }, tokenizer());
    await expect(Engine.load(other, { backend: 'wasm' })).rejects.toThrow(/model\.safetensors: tensor "transformer\.h\.0\.ln_1\.weight" has shape \[16\], but config\.json implies \[32\]/);
  }, TIMEOUT_MS);

  it('refuses a model too large for the memory budget before fetching it, and an unknown processing setting', () => {
    const gpt2xl = { model_type: 'gpt2', n_layer: 48, n_embd: 1600, n_head: 25, n_positions: 1024, vocab_size: 50257 };
    let caught: unknown;
    try {
      hfManifest(gpt2xl, 'https://huggingface.co/openai-community/gpt2-xl/resolve/main/', 4 * 1024 ** 3);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'out-of-memory', message: expect.stringMatching(/1558M parameters and would need about \d+\.\d GiB .* more than the 4\.0 GiB/) });
    expect(() => hfManifest(model.config, 'https://x.test/m/?processing=fold_everything')).toThrow(/processing=fold_everything names an unknown setting/);
    const m = hfManifest(model.config, 'https://x.test/m/?processing=none');
    expect(m.hf.processing).toEqual({ fold_ln: false, center_writing_weights: false, center_unembed: false, fold_value_biases: false });
    expect(m.saes).toEqual([]);
    expect(hfModelName('https://huggingface.co/openai-community/gpt2/resolve/main/')).toBe('openai-community/gpt2');
  });
});
