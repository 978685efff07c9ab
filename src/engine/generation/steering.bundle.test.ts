import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { spliceWith } from '../evaluation/spliceAnalysis';
import { ablate } from '../interventions/ablation';
import { generate } from './generate';
import { Steering, type FeatureSteer } from './steering';

const LOAD_TIMEOUT_MS = 300_000;
const TEXT = 'The President said that the nation would';

describe('steering, ablation and splicing on the bundled model (Node, wasm)', () => {
  let engine: Engine;

  beforeAll(async () => {
    ({ engine } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  /** The feature of `saeId` most active on the last token of TEXT, its activation there, and the token ids. */
  async function mostActiveAtLast(saeId: string) {
    const { ids } = engine.tokenize(TEXT);
    const acts = await engine.featureActs(ids, saeId);
    const t = ids.length - 1;
    let feature = 0;
    for (let f = 0; f < acts.dSae; f++) if (acts.acts[t * acts.dSae + f]! > acts.acts[t * acts.dSae + feature]!) feature = f;
    return { ids, t, feature, value: acts.acts[t * acts.dSae + feature]! };
  }

  const steer = (saeId: string, value: number, mode: FeatureSteer['mode'] = 'add'): FeatureSteer => ({ saeId, feature: 5, mode, value, where: { kind: 'all' } });

  it('steering with strength 0 reproduces the unsteered logits exactly, at every kind of hook', async () => {
    const { ids } = engine.tokenize(TEXT);
    const plain = (await engine.model.run(ids)).logits.data as Float32Array;
    for (const saeId of ['L1-resid-topk', 'L1-attn-topk', 'L1-mlp-topk']) {
      const zero = await Steering.prepare(engine, [steer(saeId, 0)]);
      expect(await zero.logits(ids, ids.length), saeId).toEqual(plain);
      const strong = await Steering.prepare(engine, [steer(saeId, 20)]);
      expect(await strong.logits(ids, ids.length), `${saeId} at 20`).not.toEqual(plain);
    }
  }, LOAD_TIMEOUT_MS);

  it('clamping a feature to the activation it already has changes nothing measurable', async () => {
    const { ids, t, feature, value } = await mostActiveAtLast('L2-resid-topk');
    const clamp = await Steering.prepare(engine, [{ saeId: 'L2-resid-topk', feature, mode: 'clamp', value, where: { kind: 'token', position: t } }]);
    const plain = (await engine.model.run(ids)).logits.data as Float32Array;
    const clamped = await clamp.logits(ids, ids.length);
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i]! - clamped[i]!));
    expect(worst).toBeLessThan(1e-3);
  }, LOAD_TIMEOUT_MS);

  it('a steered generation at strength 0 is the unsteered one, token for token, from the same seed', async () => {
    const settings = { temperature: 1, topK: 0, topP: 0.95, maxTokens: 8, seed: 3 };
    const tokens: string[] = [];
    const g = await generate(engine, TEXT, settings, [steer('L2-resid-topk', 0)], { onToken: (t) => tokens.push(t.branch) });
    expect(g.steered.ids).toEqual(g.unsteered.ids);
    // Scored over the whole sequence at once, not a token at a time: the same sums in another order.
    g.steered.logProbs.forEach((lp, i) => expect(lp - g.steered.otherLogProbs[i]!).toBeCloseTo(0, 5));
    expect(tokens.filter((b) => b === 'steered')).toHaveLength(8);
    expect(g.steered.stop).toBe('length');
  }, LOAD_TIMEOUT_MS);

  it('a steered continuation from the cached decoder is what the whole-sequence model would have picked, token by token', async () => {
    const greedy = { temperature: 0, topK: 0, topP: 1, maxTokens: 12, seed: 1 };
    const steers = [{ ...steer('L1-attn-topk', 3), where: { kind: 'from' as const, position: 3 } }];
    const g = await generate(engine, TEXT, greedy, steers);
    const P = g.promptIds.length;
    const ids = [...g.promptIds, ...g.steered.ids];
    const logits = await (await Steering.prepare(engine, steers)).logits(ids, P);
    const V = engine.manifest.model.d_vocab;
    const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);
    const picked = g.steered.ids.map((_, i) => argmax(logits.subarray((P + i - 1) * V, (P + i) * V)));
    expect(g.steered.ids).toEqual(picked);
    expect(g.steered.ids).not.toEqual(g.unsteered.ids);
  }, LOAD_TIMEOUT_MS);

  it('stops cleanly at the end of the context', async () => {
    const long = 'the nation '.repeat(200);
    const { ids, nCtx } = engine.tokenize(long.slice(0, 1200));
    const g = await generate(engine, engine.tokenizer.decode(ids.slice(1, nCtx - 3)), { temperature: 0, topK: 0, topP: 1, maxTokens: 50, seed: 1 }, []);
    expect(g.promptIds.length + g.unsteered.ids.length).toBe(nCtx);
    expect(g.unsteered.stop).toBe('context');
  }, LOAD_TIMEOUT_MS);

  it('refuses a NaN or huge strength, an unknown feature and an empty prompt with messages', async () => {
    const settings = { temperature: 0, topK: 0, topP: 1, maxTokens: 4, seed: 1 };
    await expect(generate(engine, TEXT, settings, [steer('L2-resid-topk', Number.NaN)])).rejects.toThrow(/not a number/);
    await expect(generate(engine, TEXT, settings, [steer('L2-resid-topk', 1e9)])).rejects.toThrow(/too large/);
    await expect(generate(engine, TEXT, settings, [{ ...steer('L2-resid-topk', 1), feature: 5000 }])).rejects.toThrow(/features 0 to 2047/);
    await expect(generate(engine, '  ', settings, [])).rejects.toThrow(/prompt is empty/);
  }, LOAD_TIMEOUT_MS);

  it('splicing a perfect reconstruction (delta 0) reproduces the clean cross-entropy exactly', async () => {
    const { ids } = engine.tokenize(TEXT);
    const perfect = await spliceWith(engine, ids, 'blocks.2.hook_resid_pre', (acts) => Promise.resolve(acts.slice()));
    expect(perfect.ceSpliced).toBe(perfect.ceClean);
    expect([...perfect.errors].every((e) => e === 0)).toBe(true);
    expect([...perfect.ceChange].every((c) => c === 0)).toBe(true);
    expect(perfect.ceRecoveredPct).toBe(100);
  }, LOAD_TIMEOUT_MS);

  it('zero-ablating an active feature moves the next-token distribution and later features', async () => {
    const { t, feature } = await mostActiveAtLast('L1-resid-topk');
    const a = await ablate(engine, TEXT, { saeId: 'L1-resid-topk', feature, at: null, value: 0 });
    expect(a.featureActs[t]).toBeGreaterThan(0);
    expect(a.klNats).toBeGreaterThan(0);
    expect(a.up.length + a.down.length).toBeGreaterThan(0);
    expect(a.downstream.map((d) => d.saeId)).toContain('L2-resid-topk');
    expect(a.downstream.some((d) => d.rising.length + d.falling.length > 0)).toBe(true);
  }, LOAD_TIMEOUT_MS);
});
