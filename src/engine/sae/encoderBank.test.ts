import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../runtime';
import type { Sae, SaeArchitecture } from '../types';
import { sparsifyRows } from './sparseRows';
import { EncoderBank } from './encoderBank';

/** Small SAEs with random weights, and plain-loop reference encoders (float64) to check the graphs against. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function makeSae(id: string, architecture: SaeArchitecture, hookName: string, dIn: number, dSae: number, k: number, seed: number): Sae {
  const r = random(seed);
  const fill = (n: number) => Float32Array.from({ length: n }, r);
  return {
    id,
    title: id,
    format: 'saelens',
    architecture,
    hookName,
    dIn,
    dSae,
    k,
    applyBDecToInput: true,
    weights: {
      W_enc: fill(dIn * dSae),
      W_dec: fill(dSae * dIn),
      b_enc: fill(dSae),
      b_dec: fill(dIn),
      threshold: Float32Array.from({ length: dSae }, () => 0.3),
      b_gate: fill(dSae),
      r_mag: fill(dSae),
      b_mag: fill(dSae),
    },
  };
}

function pre(sae: Sae, x: ArrayLike<number>, t: number): number[] {
  const { dIn, dSae, weights: w } = sae;
  return Array.from({ length: dSae }, (_, j) => {
    let sum = w.b_enc[j]!;
    for (let i = 0; i < dIn; i++) sum += (x[t * dIn + i]! - w.b_dec[i]!) * w.W_enc[i * dSae + j]!;
    return sum;
  });
}

function reference(sae: Sae, x: Float32Array, nTokens: number): Float64Array {
  const { dIn, dSae, k, weights: w } = sae;
  const out = new Float64Array(nTokens * dSae);
  for (let t = 0; t < nTokens; t++) {
    const row = out.subarray(t * dSae, (t + 1) * dSae);
    if (sae.architecture === 'matching_pursuit') {
      const r = Array.from({ length: dIn }, (_, i) => x[t * dIn + i]! - w.b_dec[i]!);
      for (let step = 0; step < k!; step++) {
        const scores = Array.from({ length: dSae }, (_, j) => r.reduce((a, ri, i) => a + ri * w.W_dec[j * dIn + i]!, 0));
        const j = scores.indexOf(Math.max(...scores));
        row[j]! += scores[j]!;
        for (let i = 0; i < dIn; i++) r[i]! -= scores[j]! * w.W_dec[j * dIn + i]!;
      }
      continue;
    }
    const p = pre(sae, x, t);
    const top = (values: number[]) => new Set(values.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, j]) => j));
    if (sae.architecture === 'topk') for (const j of top(p)) row[j] = Math.max(p[j]!, 0);
    if (sae.architecture === 'abstopk') for (const j of top(p.map(Math.abs))) row[j] = p[j]!;
    if (sae.architecture === 'standard') p.forEach((v, j) => (row[j] = Math.max(v, 0)));
    if (sae.architecture === 'jumprelu') p.forEach((v, j) => (row[j] = v > w.threshold![j]! ? Math.max(v, 0) : 0));
  }
  return out;
}

describe('EncoderBank', () => {
  beforeAll(() => initRuntime('wasm'));

  it('encodes SAEs on different hooks in one run, sparse and dense outputs alike, as plain loops compute them', async () => {
    const saes = [
      makeSae('topk', 'topk', 'blocks.0.hook_resid_post', 6, 24, 4, 1),
      makeSae('standard', 'standard', 'blocks.0.hook_resid_post', 6, 24, 0, 2),
      makeSae('abstopk', 'abstopk', 'blocks.1.attn.hook_z', 4, 16, 3, 3),
      makeSae('jumprelu', 'jumprelu', 'blocks.1.attn.hook_z', 4, 16, 0, 4),
      // 7 steps over 3 latents: some latent is picked more than once, and its picks must add up.
      makeSae('mp', 'matching_pursuit', 'blocks.0.hook_resid_post', 6, 3, 7, 5),
    ];
    const nTokens = 5;
    const r = random(99);
    const hookActs = new Map([
      ['blocks.0.hook_resid_post', Float32Array.from({ length: nTokens * 6 }, r)],
      ['blocks.1.attn.hook_z', Float32Array.from({ length: nTokens * 4 }, r)],
    ]);
    const bank = await EncoderBank.create(saes);
    const acts = await bank.encode(hookActs, nTokens);
    for (const [i, sae] of saes.entries()) {
      const want = reference(sae, hookActs.get(sae.hookName)!, nTokens);
      const got = acts[i]!;
      expect(got.length, sae.id).toBe(want.length);
      const worst = Math.max(...got.map((v, j) => Math.abs(v - want[j]!)));
      expect(worst, `${sae.id}: largest difference from the reference`).toBeLessThan(1e-4);
      expect(got.some((v) => v !== 0), `${sae.id} has active latents`).toBe(true);
    }
    await bank.release();
  });

  it('returns as compressed rows exactly the non-zeros of the dense activations, for every architecture', async () => {
    const architectures: SaeArchitecture[] = ['standard', 'topk', 'abstopk', 'jumprelu', 'batchtopk', 'gated', 'matching_pursuit'];
    // k = 20 of 24 latents: topk's relu zeroes some of its picks, which the rows must leave out.
    const saes = architectures.map((a, i) => makeSae(a, a, 'blocks.0.hook_resid_post', 6, a === 'matching_pursuit' ? 3 : 24, a === 'matching_pursuit' ? 7 : 20, 10 + i));
    const nTokens = 9;
    const hookActs = new Map([['blocks.0.hook_resid_post', Float32Array.from({ length: nTokens * 6 }, random(7))]]);
    const bank = await EncoderBank.create(saes);
    const dense = await bank.encode(hookActs, nTokens);
    const sparse = await bank.encodeSparse(hookActs, nTokens);
    for (const [i, sae] of saes.entries()) {
      const want = sparsifyRows(dense[i]!, nTokens, sae.dSae);
      const got = sparse[i]!;
      expect(got.nRows, sae.id).toBe(nTokens);
      expect(Array.from(got.rowStart), `${sae.id} row starts`).toEqual(Array.from(want.rowStart));
      expect(Array.from(got.features), `${sae.id} features`).toEqual(Array.from(want.features));
      expect(Array.from(got.values), `${sae.id} values`).toEqual(Array.from(want.values));
      expect(got.features.length, `${sae.id} has active latents`).toBeGreaterThan(0);
    }
    const empty = await bank.encodeSparse(hookActs.set('blocks.0.hook_resid_post', new Float32Array(0)), 0);
    expect(empty.map((rows) => [rows.nRows, Array.from(rows.rowStart), rows.features.length])).toEqual(saes.map(() => [0, [0], 0]));
    await bank.release();
  });

  it('says which hook is missing or mis-sized', async () => {
    const bank = await EncoderBank.create([makeSae('a', 'topk', 'blocks.0.hook_resid_post', 6, 24, 4, 1)]);
    await expect(bank.encode(new Map(), 2)).rejects.toThrow(/blocks\.0\.hook_resid_post, but no activations/);
    await expect(bank.encode(new Map([['blocks.0.hook_resid_post', new Float32Array(7)]]), 2)).rejects.toThrow(/2 tokens × 6 = 12 values, but got 7/);
    await bank.release();
  });
});
