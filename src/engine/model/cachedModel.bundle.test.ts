import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { CachedModel } from './cachedModel';
import type { Deltas } from './hookedModel';

const LOAD_TIMEOUT_MS = 300_000;
/** fp32 logits of two graphs summing in different orders (|logits| reach ~20). */
const TOLERANCE = 2e-3;

describe('the key/value-cached decoder (Node, wasm)', () => {
  let engine: Engine;
  let cached: CachedModel;

  beforeAll(async () => {
    ({ engine } = await loadTestEngine());
    cached = await CachedModel.create(await engine.bundle.bytes(engine.manifest.model.onnx), engine.manifest.model);
  }, LOAD_TIMEOUT_MS);

  it('gives the exported model’s logits at every token, prompt first then a token at a time, with deltas at every kind of steering point', async () => {
    const { ids } = engine.tokenize('The President said that the nation would not forget the people of the West.');
    const { d_model, d_vocab, steer_inputs } = engine.manifest.model;
    const T = ids.length;
    const points = [steer_inputs[0]!, 'blocks.1.attn.hook_z', 'blocks.2.hook_mlp_out', steer_inputs.at(-1)!];
    const deltas: Deltas = Object.fromEntries(points.map((p, i) => [p, Float32Array.from({ length: T * d_model }, (_, j) => 0.3 * Math.sin(j * (i + 1)))]));
    const full = (await engine.model.run(ids, [], deltas)).logits.data as Float32Array;
    const rows = (d: Deltas, from: number, to: number) => Object.fromEntries(Object.entries(d).map(([p, a]) => [p, a.slice(from * d_model, to * d_model)]));

    const prompt = 5;
    let step = await cached.step(ids.slice(0, prompt), cached.emptyCache(), rows(deltas, 0, prompt));
    const got = [step.logits];
    for (let t = prompt; t < T; t++) {
      step = await cached.step([ids[t]!], step.cache, rows(deltas, t, t + 1));
      got.push(step.logits);
    }
    const incremental = new Float32Array(T * d_vocab);
    let at = 0;
    for (const l of got) {
      incremental.set(l, at);
      at += l.length;
    }
    let worst = 0;
    for (let i = 0; i < full.length; i++) worst = Math.max(worst, Math.abs(full[i]! - incremental[i]!));
    expect(at).toBe(full.length);
    expect(worst).toBeLessThan(TOLERANCE);
    expect(step.cache.length).toBe(T);
  }, LOAD_TIMEOUT_MS);

  it('refuses to grow past the context', async () => {
    const cache = { ...cached.emptyCache(), length: engine.manifest.model.n_ctx };
    await expect(cached.step([1], cache)).rejects.toThrow(/context/);
  });
});
