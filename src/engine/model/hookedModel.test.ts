import { beforeAll, describe, expect, it } from 'vitest';
import { Bundle } from '../bundle/bundle';
import { fixtureTensor, loadFixtures, type Fixtures } from '../../../tools/testing/bundleFixtures';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { initRuntime } from '../runtime';
import { EngineError } from '../types';
import { HookedModel } from './hookedModel';
import { parseModelWeights } from './modelWeights';
import { maxAbsDiff } from '../../../tools/testing/tensorDiff';

/** Loading a bundle can be slow on two busy cores (a training run shares them). */
const LOAD_TIMEOUT_MS = 300_000;

/** PyTorch fp32 vs ORT fp32 on the same fp16-rounded weights. */
const TOLERANCE = 1e-4;

describe('hooked model (ONNX on wasm) against the bundle fixtures', () => {
  let bundle: Bundle;
  let fixtures: Fixtures;
  let onnx: Uint8Array;
  let model: HookedModel;

  beforeAll(async () => {
    await initRuntime('wasm');
    bundle = await Bundle.open(testBundleDir());
    fixtures = await loadFixtures(bundle);
    onnx = await bundle.bytes(bundle.manifest.model.onnx);
    model = await HookedModel.create(onnx, bundle.manifest.model);
  }, LOAD_TIMEOUT_MS);

  it('reproduces the logits and every hook of every fixture prompt within 1e-4', async () => {
    const { hooks } = bundle.manifest.model;
    expect(fixtures.prompts.length).toBeGreaterThan(0);
    const worst: Record<string, number> = {};
    for (const [p, prompt] of fixtures.prompts.entries()) {
      const out = await model.run(prompt.tokens, hooks);
      for (const name of ['logits', ...hooks]) {
        const actual = name === 'logits' ? out.logits : out.hooks[name]!;
        const expected = fixtureTensor(fixtures, p, name);
        expect(actual.dims, `p${p}.${name} shape`).toEqual(expected.shape);
        const diff = maxAbsDiff(actual.data as Float32Array, expected.data);
        worst[name] = Math.max(worst[name] ?? 0, diff);
      }
    }
    for (const [name, diff] of Object.entries(worst)) expect(diff, `max |Δ| of ${name}`).toBeLessThan(TOLERANCE);
  }, LOAD_TIMEOUT_MS);

  it('adds a steering delta to the residual stream before the hook reads it', async () => {
    const { d_model, steer_inputs } = bundle.manifest.model;
    const hook = steer_inputs[0]!;
    const ids = fixtures.prompts[0]!.tokens.slice(0, 5);
    const delta = Float32Array.from({ length: ids.length * d_model }, (_, i) => ((i % 7) - 3) * 0.5);
    const plain = await model.run(ids, [hook]);
    const steered = await model.run(ids, [hook], { [hook]: delta });
    const a = plain.hooks[hook]!.data as Float32Array;
    const b = steered.hooks[hook]!.data as Float32Array;
    const moved = Float32Array.from(b, (v, i) => v - a[i]!);
    expect(maxAbsDiff(moved, delta)).toBeLessThan(1e-5);
    expect(maxAbsDiff(steered.logits.data as Float32Array, plain.logits.data as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('runs a batch of sequences like the same sequences one by one', async () => {
    const [p0, p1] = fixtures.prompts;
    const T = Math.min(p0!.tokens.length, p1!.tokens.length, 8);
    const seqs = [p0!.tokens.slice(0, T), p1!.tokens.slice(0, T)];
    const batch = await model.runBatch(seqs, []);
    expect(batch.logits.dims).toEqual([2, T, bundle.manifest.model.d_vocab]);
    const second = await model.run(seqs[1]!, []);
    const half = batch.logits.data.length / 2;
    expect(maxAbsDiff((batch.logits.data as Float32Array).subarray(half), second.logits.data as Float32Array)).toBeLessThan(1e-5);
  });

  it('refuses sequences the model cannot take, saying why', async () => {
    const { n_ctx, d_vocab, bos_token_id } = bundle.manifest.model;
    const tooLong = new Array<number>(n_ctx + 1).fill(bos_token_id);
    await expect(model.run(tooLong, [])).rejects.toThrow(new RegExp(`${n_ctx + 1} tokens, more than the model's context of ${n_ctx}`));
    await expect(model.run([bos_token_id, d_vocab], [])).rejects.toThrow(/Token id \d+ at position 1 is outside the vocabulary/);
    await expect(model.run([bos_token_id], ['blocks.0.hook_nonsense'])).rejects.toThrow(/no hook "blocks\.0\.hook_nonsense"/);
    await expect(model.run([], [])).rejects.toThrow(/empty/);
  });

  it('refuses a model file whose inputs or outputs do not match the manifest, naming model.onnx', async () => {
    const config = bundle.manifest.model;
    const wrongOutputs = { ...config, hooks: [...config.hooks, 'blocks.0.hook_resid_mid'] };
    const err = await HookedModel.create(onnx, wrongOutputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).source).toBe(config.onnx);
    expect((err as Error).message).toMatch(/model\.onnx does not match manifest\.json: the model has no output "blocks\.0\.hook_resid_mid"/);

    const fewerInputs = { ...config, steer_inputs: config.steer_inputs.slice(1) };
    await expect(HookedModel.create(onnx, fewerInputs)).rejects.toThrow(/expects input "delta\./);
  });

  it('reads W_U, the final LayerNorm and W_O from model_weights.safetensors with the manifest shapes', async () => {
    const { d_model, d_vocab, n_layers, n_heads, d_head, weights } = bundle.manifest.model;
    const w = await parseModelWeights(await bundle.bytes(weights), bundle.manifest.model);
    expect(w.W_U.length).toBe(d_model * d_vocab);
    expect(w.lnFinalW.length).toBe(d_model);
    expect(w.W_O).toHaveLength(n_layers);
    expect(w.W_O[0]!.length).toBe(n_heads * d_head * d_model);
    // fp16 weights decoded to finite, non-trivial floats
    expect(w.W_U.every(Number.isFinite)).toBe(true);
    expect(w.W_U.some((v) => v !== 0)).toBe(true);
  });
});
