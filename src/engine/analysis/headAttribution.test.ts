import { describe, expect, it } from 'vitest';
import type { Sae } from '../types';
import { attentionDfa, encoderColumn, residualAttribution, weightHeadShares } from './headAttribution';
import { seededRandom } from './random';

const random = seededRandom(11);
const randn = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

function sae(dIn: number, dSae: number, architecture: Sae['architecture'] = 'topk'): Sae {
  return {
    id: 's',
    title: 's',
    format: 'saelens',
    architecture,
    hookName: 'blocks.1.attn.hook_z',
    dIn,
    dSae,
    k: 4,
    applyBDecToInput: true,
    weights: { W_enc: randn(dIn * dSae), W_dec: randn(dSae * dIn), b_enc: randn(dSae), b_dec: randn(dIn) },
  };
}

/** The pre-activation straight from the SAE's formula: (x − b_dec)·W_enc[:, f] + b_enc[f]. */
function pre(s: Sae, x: Float32Array, f: number): number {
  let p = s.weights.b_enc[f]!;
  for (let i = 0; i < s.dIn; i++) p += (x[i]! - s.weights.b_dec[i]!) * s.weights.W_enc[i * s.dSae + f]!;
  return p;
}

describe('attentionDfa', () => {
  it('splits an attention feature into head × source parts that add up to its pre-activation', () => {
    const T = 6;
    const nHeads = 3;
    const dHead = 4;
    const s = sae(nHeads * dHead, 5);
    const v = randn(T * nHeads * dHead);
    // causal softmax patterns
    const pattern = new Float32Array(nHeads * T * T);
    for (let h = 0; h < nHeads; h++) {
      for (let d = 0; d < T; d++) {
        const e = Array.from({ length: d + 1 }, () => Math.exp(random() * 3));
        e.forEach((x, src) => (pattern[(h * T + d) * T + src] = x / sum(e)));
      }
    }
    for (let dest = 0; dest < T; dest++) {
      const z = new Float32Array(nHeads * dHead);
      for (let h = 0; h < nHeads; h++) {
        for (let src = 0; src <= dest; src++) {
          for (let i = 0; i < dHead; i++) z[h * dHead + i]! += pattern[(h * T + dest) * T + src]! * v[(src * nHeads + h) * dHead + i]!;
        }
      }
      for (let f = 0; f < s.dSae; f++) {
        const col = encoderColumn(s, f);
        const parts = attentionDfa(v, pattern, { T, nHeads, dHead }, dest, col);
        expect(sum(parts) + col.constant).toBeCloseTo(pre(s, z, f), 4);
        // nothing comes from tokens after the destination
        for (let h = 0; h < nHeads; h++) for (let src = dest + 1; src < T; src++) expect(parts[h * T + src]).toBe(0);
      }
    }
  });

  it('refuses an SAE whose width is not the heads × d_head of hook_z', () => {
    const col = encoderColumn(sae(10, 3), 0);
    expect(() => attentionDfa(randn(2 * 12), randn(3 * 4), { T: 2, nHeads: 3, dHead: 4 }, 1, col)).toThrow(/3 heads × 4 = 12/);
  });
});

describe('residualAttribution', () => {
  it('splits a residual feature into embeddings, heads, biases and MLPs that add up to its pre-activation', () => {
    const T = 4;
    const nHeads = 2;
    const dHead = 3;
    const dModel = nHeads * dHead;
    const s = sae(dModel, 4);
    const embeddings = randn(T * dModel);
    const blocks = [0, 1].map(() => ({ z: randn(T * nHeads * dHead), W_O: randn(nHeads * dHead * dModel), b_O: randn(dModel), mlpOut: randn(T * dModel) }));
    for (let dest = 0; dest < T; dest++) {
      const resid = embeddings.slice(dest * dModel, (dest + 1) * dModel);
      for (const b of blocks) {
        for (let m = 0; m < dModel; m++) {
          let attn = b.b_O[m]!;
          for (let h = 0; h < nHeads; h++) for (let j = 0; j < dHead; j++) attn += b.z[(dest * nHeads + h) * dHead + j]! * b.W_O[(h * dHead + j) * dModel + m]!;
          resid[m]! += attn + b.mlpOut[dest * dModel + m]!;
        }
      }
      const f = dest % s.dSae;
      const col = encoderColumn(s, f);
      const a = residualAttribution(embeddings, blocks, { T, nHeads, dHead, dModel }, dest, col);
      expect(a.heads).toHaveLength(blocks.length * nHeads);
      expect(a.embeddings + sum(a.heads) + sum(a.attnBias) + sum(a.mlp) + a.constant).toBeCloseTo(pre(s, resid, f), 4);
    }
  });
});

describe('weightHeadShares', () => {
  it("gives each head its share of the encoder column's squared norm", () => {
    const shares = weightHeadShares({ w: Float32Array.from([3, 4, 0, 0, 0, 0]), constant: 0 }, 3, 2);
    expect(Array.from(shares)).toEqual([1, 0, 0]);
    const spread = weightHeadShares(encoderColumn(sae(12, 2), 1), 4, 3);
    expect(sum(spread)).toBeCloseTo(1, 6);
  });
});

describe('encoderColumn', () => {
  it('refuses matching pursuit, whose encoder is not one linear map, and features out of range', () => {
    expect(() => encoderColumn(sae(4, 3, 'matching_pursuit'), 0)).toThrow(/do not encode linearly/);
    expect(() => encoderColumn(sae(4, 3), 3)).toThrow(/features 0 to 2/);
  });
});
