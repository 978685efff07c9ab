import { beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../../tools/testing/bundleFixtures';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { attributionTotal, checkDfaSums } from '../../../tools/parity/dfaParity';
import { describeFailures } from '../../../tools/parity/fixtureParity';
import { featureAttribution } from './featureAttribution';

const LOAD_TIMEOUT_MS = 300_000;

describe("head attribution on the bundle's model (Node, wasm)", () => {
  let engine: Engine;
  let fixtures: Fixtures;

  beforeAll(async () => {
    ({ engine, fixtures } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  it('splits every active feature of attention and residual SAEs into parts that add up to its activation', async () => {
    const ids = fixtures.prompts[0]!.tokens;
    const saes = engine.manifest.saes.filter((s) => s.architecture === 'topk' && (s.kind === 'attn' || s.hook_name.endsWith('hook_resid_post')));
    expect(saes.some((s) => s.kind === 'attn') && saes.some((s) => s.kind === 'resid')).toBe(true);
    const rows = await checkDfaSums(engine, ids, 0, saes.map((s) => s.id));
    expect(rows.map((r) => r.name)).toEqual(saes.map((s) => `dfa.${s.id}`));
    expect(describeFailures(rows)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('leaves the sources after the destination at zero: the causal mask hides them', async () => {
    const ids = fixtures.prompts[0]!.tokens;
    const attn = engine.manifest.saes.find((s) => s.kind === 'attn')!;
    const { acts, dSae } = await engine.featureActs(ids, attn.id);
    const dest = Math.floor(ids.length / 2);
    const f = Array.from({ length: dSae }, (_, i) => i).find((i) => acts[dest * dSae + i] !== 0)!;
    const a = await featureAttribution(engine, ids, attn.id, f, dest);
    if (a.kind !== 'attn') throw new Error('expected an attention attribution');
    expect(attributionTotal(a)).toBeCloseTo(a.activation, 4);
    for (let h = 0; h < a.nHeads; h++) for (let s = dest + 1; s < a.T; s++) expect(a.bySource[h * a.T + s]).toBe(0);
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
