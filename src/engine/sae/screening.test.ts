import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../runtime';
import type { Sae, SaeArchitecture } from '../types';
import { EncoderBank } from './encoderBank';
import { isScreenable, screeningPays } from './screening';
import type { SparseRows } from './sparseRows';

/**
 * The screened encoders against the dense ones (the same SAEs, the same session code): the same
 * active set and values within 1e-6, on random inputs and on inputs built to defeat a loose bound.
 */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

const D_IN = 64;
const D_SAE = 512;
const K = 16;

function makeSae(architecture: SaeArchitecture, seed: number, threshold?: Float32Array): Sae {
  const r = random(seed);
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, () => r() * scale);
  // columns of unequal norms, as trained encoders have
  const wEnc = fill(D_IN * D_SAE, 0.2).map((v, i) => v * (0.3 + ((i % D_SAE) % 7) / 5));
  return {
    id: `${architecture}-${seed}`,
    title: architecture,
    format: 'saelens',
    architecture,
    hookName: 'blocks.0.hook_resid_pre',
    dIn: D_IN,
    dSae: D_SAE,
    k: architecture === 'topk' || architecture === 'abstopk' ? K : undefined,
    applyBDecToInput: true,
    weights: {
      W_enc: wEnc,
      W_dec: fill(D_SAE * D_IN, 0.1),
      b_enc: fill(D_SAE, 0.1),
      b_dec: fill(D_IN, 0.3),
      threshold: threshold ?? Float32Array.from({ length: D_SAE }, (_, j) => 0.2 + (j % 5) * 0.1),
    },
  };
}

const ARCHITECTURES: { name: string; sae: () => Sae }[] = [
  { name: 'topk', sae: () => makeSae('topk', 1) },
  { name: 'abstopk', sae: () => makeSae('abstopk', 2) },
  { name: 'jumprelu', sae: () => makeSae('jumprelu', 3) },
  { name: 'batchtopk (one threshold for all latents)', sae: () => makeSae('batchtopk', 4, new Float32Array([0.35])) },
  { name: 'standard (ReLU)', sae: () => makeSae('standard', 5) },
];

/** Rows that stress the screen: random, very large and very small norms, zeros, one huge coordinate. */
function inputs(seed: number): Float32Array {
  const r = random(seed);
  const rows: number[][] = [];
  for (let t = 0; t < 24; t++) rows.push(Array.from({ length: D_IN }, () => r() * 2));
  rows.push(Array.from({ length: D_IN }, () => r() * 1e4));
  rows.push(Array.from({ length: D_IN }, () => r() * 1e-4));
  rows.push(new Array<number>(D_IN).fill(0));
  rows.push(Array.from({ length: D_IN }, (_, i) => (i === 7 ? 300 : r())));
  return Float32Array.from(rows.flat());
}

/**
 * A row whose pre-activations tie at the cut: x chosen so that latents a and b score the same up
 * to `gap` (relative), with b_dec added back so the SAE's own input is that x.
 */
function nearTie(sae: Sae, a: number, b: number, gap: number, seed: number): Float32Array {
  const r = random(seed);
  const { W_enc, b_dec, b_enc } = sae.weights;
  const x = Array.from({ length: D_IN }, () => r());
  const col = (j: number) => Array.from({ length: D_IN }, (_, i) => W_enc[i * D_SAE + j]!);
  const [wa, wb] = [col(a), col(b)];
  const score = (w: number[], j: number) => x.reduce((s, v, i) => s + v * w[i]!, 0) + b_enc[j]!;
  // move x along (wa − wb) until the two scores differ by gap·|score|
  const diff = wa.map((v, i) => v - wb[i]!);
  const d2 = diff.reduce((s, v) => s + v * v, 0);
  const want = gap * Math.abs(score(wa, a));
  const step = (want - (score(wa, a) - score(wb, b))) / d2;
  const y = x.map((v, i) => v + step * diff[i]! + b_dec[i]!);
  return Float32Array.from(y);
}

function rowMap(rows: SparseRows, t: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = rows.rowStart[t]!; i < rows.rowStart[t + 1]!; i++) m.set(rows.features[i]!, rows.values[i]!);
  return m;
}

async function encodeBoth(sae: Sae, x: Float32Array) {
  const nTokens = x.length / D_IN;
  const hook = new Map([[sae.hookName, x]]);
  const dense = await EncoderBank.create([sae], 'dense');
  const screened = await EncoderBank.create([sae], 'screened');
  const d = (await dense.encodeSparse(hook, nTokens))[0]!;
  const s = (await screened.encodeSparse(hook, nTokens))[0]!;
  const { candidates } = screened.screenStats;
  const sDense = (await screened.encode(hook, nTokens))[0]!;
  await dense.release();
  await screened.release();
  return { d, s, sDense, nTokens, candidates, screenedCount: screened.screenedCount };
}

/**
 * Same active sets; values within 1e-6 of the scale of their dot product, ‖x − b_dec‖·‖w_j‖ (two
 * float32 dot products in different orders differ by rounding of that size, not of the result's).
 */
function expectSame(sae: Sae, x: Float32Array, d: SparseRows, s: SparseRows, nTokens: number): void {
  const { W_enc, b_dec } = sae.weights;
  for (let t = 0; t < nTokens; t++) {
    const [a, b] = [rowMap(d, t), rowMap(s, t)];
    expect([...b.keys()], `token ${t}: active set`).toEqual([...a.keys()]);
    const xNorm = Math.hypot(...Array.from({ length: D_IN }, (_, i) => x[t * D_IN + i]! - b_dec[i]!));
    for (const [f, v] of a) {
      const wNorm = Math.hypot(...Array.from({ length: D_IN }, (_, i) => W_enc[i * D_SAE + f]!));
      expect(Math.abs(b.get(f)! - v), `token ${t}, latent ${f}`).toBeLessThanOrEqual(1e-6 * Math.max(1, xNorm * wNorm));
    }
  }
}

describe('screened encoders equal the dense ones', () => {
  beforeAll(async () => {
    await initRuntime('wasm');
  });

  for (const { name, sae: make } of ARCHITECTURES) {
    it(`${name}: random rows, huge and tiny norms, zeros, an outlier coordinate`, async () => {
      const sae = make();
      expect(isScreenable(sae)).toBe(true);
      const x = inputs(11);
      const { d, s, sDense, nTokens, candidates, screenedCount } = await encodeBoth(sae, x);
      expect(screenedCount).toBe(1);
      expectSame(sae, x, d, s, nTokens);
      // the dense form of the screened rows is the same
      for (let t = 0; t < nTokens; t++) for (const [f, v] of rowMap(s, t)) expect(sDense[t * D_SAE + f]).toBe(v);
      // the screen did skip work: fewer exact scores than a dense encoder computes
      expect(candidates).toBeLessThan(nTokens * D_SAE);
      expect(candidates).toBeGreaterThanOrEqual(d.features.length);
    });
  }

  it('topk and abstopk: near-ties at the k-th value (relative gap 1e-4) pick what the dense encoder picks', async () => {
    for (const arch of ['topk', 'abstopk'] as const) {
      const sae = makeSae(arch, 21);
      // find the k-th and (k+1)-th latents of a row, then pull them to a near-tie
      const probe = inputs(5).subarray(0, D_IN);
      const { d } = await encodeBoth(sae, probe);
      const kept = rowMap(d, 0);
      const a = [...kept.keys()][0]!;
      const b = Array.from({ length: D_SAE }, (_, j) => j).find((j) => !kept.has(j))!;
      const rows = Float32Array.from([1e-4, 1e-3, 3e-2].flatMap((gap, i) => [...nearTie(sae, a, b, gap, 40 + i)]));
      const out = await encodeBoth(sae, rows);
      expectSame(sae, rows, out.d, out.s, out.nTokens);
    }
  });

  it('screens by default only where the dense matmul is large', () => {
    expect(screeningPays(makeSae('jumprelu', 1))).toBe(false);
    expect(screeningPays(makeSae('topk', 1))).toBe(false);
    expect(screeningPays({ ...makeSae('jumprelu', 1), dIn: 2304, dSae: 16384 })).toBe(true);
    expect(screeningPays({ ...makeSae('topk', 1), dIn: 768, dSae: 24576 })).toBe(true);
    expect(isScreenable(makeSae('matching_pursuit', 1))).toBe(false);
    expect(isScreenable({ ...makeSae('topk', 1), dSae: 510 })).toBe(false);
  });

  it('several SAEs on one hook share one int8 matmul and each equals its dense encoder', async () => {
    const saes = [makeSae('topk', 31), makeSae('jumprelu', 32), makeSae('standard', 33), makeSae('matching_pursuit', 34)];
    saes[3] = { ...saes[3]!, k: 4 };
    const x = inputs(12);
    const nTokens = x.length / D_IN;
    const hook = new Map([[saes[0]!.hookName, x]]);
    const dense = await EncoderBank.create(saes, 'dense');
    const screened = await EncoderBank.create(saes, 'screened');
    expect(screened.screenedCount).toBe(3);
    const [a, b] = [await dense.encodeSparse(hook, nTokens), await screened.encodeSparse(hook, nTokens)];
    for (let i = 0; i < saes.length; i++) expectSame(saes[i]!, x, a[i]!, b[i]!, nTokens);
    await dense.release();
    await screened.release();
  });
});
