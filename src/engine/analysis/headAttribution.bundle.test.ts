import { beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../../tools/testing/bundleFixtures';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { featureAttribution, type FeatureAttribution } from './featureAttribution';

const LOAD_TIMEOUT_MS = 300_000;
/** the parts add up to the engine's own activation within this (relative to it where it exceeds 1) */
const TOLERANCE = 1e-4;

const total = (a: FeatureAttribution) =>
  a.constant + (a.kind === 'attn' ? [...a.bySource] : [a.embeddings, ...a.heads, ...a.attnBias, ...a.mlp]).reduce((s, p) => s + p, 0);

describe("head attribution on the bundle's model (Node, wasm)", () => {
  let engine: Engine;
  let fixtures: Fixtures;

  beforeAll(async () => {
    ({ engine, fixtures } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  it('splits active features of attention and residual SAEs into parts that add up to their activations', async () => {
    const ids = fixtures.prompts[0]!.tokens;
    const saes = engine.manifest.saes.filter((s) => s.architecture === 'topk' && (s.kind === 'attn' || s.hook_name.endsWith('hook_resid_post')));
    expect(saes.some((s) => s.kind === 'attn') && saes.some((s) => s.kind === 'resid')).toBe(true);
    for (const info of saes) {
      const { acts, dSae } = await engine.featureActs(ids, info.id);
      // every active feature of a few destinations, the last included
      for (const dest of [1, Math.floor(ids.length / 2), ids.length - 1]) {
        for (let f = 0; f < dSae; f++) {
          if (acts[dest * dSae + f] === 0) continue;
          const a = await featureAttribution(engine, ids, info.id, f, dest);
          expect(a.kind).toBe(info.kind);
          expect(a.activation).toBe(acts[dest * dSae + f]);
          expect(Math.abs(total(a) - a.activation), `${info.id} feature ${f} at ${dest}`).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(a.activation)));
          if (a.kind === 'attn') for (let h = 0; h < a.nHeads; h++) for (let s = dest + 1; s < a.T; s++) expect(a.bySource[h * a.T + s]).toBe(0);
        }
      }
    }
  }, LOAD_TIMEOUT_MS);

  it('answers what cannot be attributed with a message', async () => {
    const ids = fixtures.prompts[0]!.tokens;
    const attn = engine.manifest.saes.find((s) => s.kind === 'attn')!;
    await expect(featureAttribution(engine, ids.slice(0, 1), attn.id, 0, 0)).rejects.toThrow(/type at least one word/);
    await expect(featureAttribution(engine, ids, attn.id, 0, 0)).rejects.toThrow(/start-of-text marker/);
    const mlp = engine.manifest.saes.find((s) => s.kind === 'mlp');
    if (mlp) await expect(featureAttribution(engine, ids, mlp.id, 0, 1)).rejects.toThrow(/cannot be split by head/);
    const mp = engine.manifest.saes.find((s) => s.architecture === 'matching_pursuit');
    if (mp) await expect(featureAttribution(engine, ids, mp.id, 0, 1)).rejects.toThrow(/do not encode linearly/);
  }, LOAD_TIMEOUT_MS);
});
