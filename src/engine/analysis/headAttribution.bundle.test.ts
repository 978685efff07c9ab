import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, type Fixtures } from '../../../tools/testing/bundleFixtures';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { Engine } from '../engine';
import { attentionDfa, encoderColumn, residualAttribution } from './headAttribution';

const LOAD_TIMEOUT_MS = 300_000;
/** the bar: the parts add up to the engine's own activation within this */
const TOLERANCE = 1e-4;

describe("head attribution on the bundle's model (Node, wasm)", () => {
  let engine: Engine;
  let fixtures: Fixtures;

  beforeAll(async () => {
    engine = await Engine.load(testBundleDir(), { backend: 'wasm' });
    fixtures = await loadFixtures(engine.bundle);
  }, LOAD_TIMEOUT_MS);

  const data = (t: { data: unknown }) => t.data as Float32Array;

  it('splits every active feature of each attention SAE by head and source token, adding up to its activation', async () => {
    const { n_heads: nHeads, d_head: dHead } = engine.manifest.model;
    const ids = fixtures.prompts[0]!.tokens;
    const T = ids.length;
    for (const info of engine.manifest.saes.filter((s) => s.kind === 'attn' && s.architecture === 'topk')) {
      const attn = info.hook_name.replace(/hook_z$/, '');
      const out = await engine.run(ids, [`${attn}hook_v`, `${attn}hook_pattern`]);
      const { acts, dSae } = await engine.featureActs(ids, info.id);
      const sae = await engine.sae(info.id);
      let checked = 0;
      for (let dest = 1; dest < T; dest++) {
        for (let f = 0; f < dSae; f++) {
          const act = acts[dest * dSae + f]!;
          if (act === 0) continue;
          const col = encoderColumn(sae, f);
          const parts = attentionDfa(data(out.hooks[`${attn}hook_v`]!), data(out.hooks[`${attn}hook_pattern`]!), { T, nHeads, dHead }, dest, col);
          expect(Math.abs(parts.reduce((s, p) => s + p, col.constant) - act), `${info.id} feature ${f} at ${dest}`).toBeLessThan(TOLERANCE);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(T);
    }
  }, LOAD_TIMEOUT_MS);

  it("splits every active feature of each residual SAE by the heads, MLPs and embeddings that wrote it", async () => {
    const { n_heads: nHeads, d_head: dHead, d_model: dModel } = engine.manifest.model;
    const weights = await engine.modelWeights();
    const ids = fixtures.prompts[1]!.tokens;
    const T = ids.length;
    for (const info of engine.manifest.saes.filter((s) => s.kind === 'resid' && s.architecture === 'topk' && s.hook_name.endsWith('hook_resid_post'))) {
      const layers = Array.from({ length: info.layer + 1 }, (_, l) => l);
      const hooks = ['blocks.0.hook_resid_pre', ...layers.flatMap((l) => [`blocks.${l}.attn.hook_z`, `blocks.${l}.hook_mlp_out`])];
      const out = await engine.run(ids, hooks);
      const blocks = layers.map((l) => ({
        z: data(out.hooks[`blocks.${l}.attn.hook_z`]!),
        W_O: weights.W_O[l]!,
        b_O: weights.b_O[l] ?? null,
        mlpOut: data(out.hooks[`blocks.${l}.hook_mlp_out`]!),
      }));
      const { acts, dSae } = await engine.featureActs(ids, info.id);
      const sae = await engine.sae(info.id);
      for (let dest = 1; dest < T; dest++) {
        for (let f = 0; f < dSae; f++) {
          const act = acts[dest * dSae + f]!;
          if (act === 0) continue;
          const col = encoderColumn(sae, f);
          const a = residualAttribution(data(out.hooks['blocks.0.hook_resid_pre']!), blocks, { T, nHeads, dHead, dModel }, dest, col);
          const total = a.embeddings + a.constant + [...a.heads, ...a.attnBias, ...a.mlp].reduce((s, p) => s + p, 0);
          // fp16 weights summed in another order than the model's: relative to the activation's size
          expect(Math.abs(total - act), `${info.id} feature ${f} at ${dest}`).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(act)));
        }
      }
    }
  }, LOAD_TIMEOUT_MS);
});
