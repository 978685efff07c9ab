import { describe, expect, it } from 'vitest';
import { packHeadStats, readHeadStats, type HeadStats } from '../../dashboardData/headStats';
import { attentionShape, headSharesAt, headSummaries, weightShareMatrix } from './headStats';

/** W_enc [d_in = 2 heads × 2, d_sae = 3]: feature 0 reads head 0 only, 1 reads both evenly, 2 head 1 three times as strongly. */
const W_enc = Float32Array.from([
  1, 1, 0, //
  0, 0, 1,
  0, 1, 3,
  0, 0, 0,
]);

describe('weightShareMatrix', () => {
  it("gives each head its share of the feature's squared encoder norm", () => {
    const m = weightShareMatrix(W_enc, 3, 2, 2);
    expect(Array.from(m.slice(0, 2))).toEqual([1, 0]);
    expect(Array.from(m.slice(2, 4))).toEqual([0.5, 0.5]);
    expect(m[4]).toBeCloseTo(0.1, 6);
    expect(m[5]).toBeCloseTo(0.9, 6);
  });
});

describe('headSharesAt', () => {
  it('splits the pre-activation into signed head shares of its absolute total', () => {
    const out = new Float32Array(2);
    // z = [head0: (2, 0), head1: (−1, 0)] → feature 1: head0 2·1, head1 −1·1
    headSharesAt(Float32Array.from([9, 2, 0, -1, 0]), 1, W_enc, 3, 1, 2, 2, out);
    expect(Array.from(out)).toEqual([2 / 3, -1 / 3].map(Math.fround));
    headSharesAt(new Float32Array(4), 0, W_enc, 3, 1, 2, 2, out);
    expect(Array.from(out)).toEqual([0, 0]);
  });
});

describe('headSummaries', () => {
  /** Decoder rows [d_sae = 3, 2]: features 0 and 1 point the same way, 2 another. */
  const W_dec = Float32Array.from([1, 0, 0.99, 0.1, 0, 1]);

  it('scores the head that writes one feature lowest, and lists what each head writes', () => {
    // head 0 writes feature 0 alone; head 1 writes features 1 and 2 evenly
    const shares = Float32Array.from([1, 0, 0, 1, 0, 1]);
    const [h0, h1] = headSummaries(shares, Float32Array.from([5, 5, 5]), W_dec, 3, 2, 2);
    expect(h0!.score).toBe(1);
    expect(h1!.score).toBeCloseTo(2, 6);
    expect(h0!.score).toBeLessThan(h1!.score);
    expect(h0!.top).toEqual([{ feature: 0, mass: 5, share: 1 }]);
    expect(h1!.top.map((t) => t.feature)).toEqual([1, 2]);
    expect(h1!.totalMass).toBe(10);
  });

  it('counts only what a head adds to a feature, not what it takes away', () => {
    const shares = Float32Array.from([1.5, -0.5, 0, 0, 0, 0]);
    const [h0, h1] = headSummaries(shares, Float32Array.from([2, 0, 0]), W_dec, 3, 2, 2);
    expect(h0!.totalMass).toBe(3);
    expect(h1).toMatchObject({ score: 0, totalMass: 0, top: [] });
  });
});

describe('attentionShape', () => {
  const engine = { manifest: { model: { n_heads: 2, d_head: 2, n_layers: 2 } } } as Parameters<typeof attentionShape>[0];

  it('accepts a hook_z SAE of n_heads × d_head inputs and refuses the rest with a reason', () => {
    expect(attentionShape(engine, { id: 'a', hookName: 'blocks.1.attn.hook_z', dIn: 4 })).toEqual({ layer: 1, nHeads: 2, dHead: 2 });
    expect(() => attentionShape(engine, { id: 'a', hookName: 'blocks.1.attn.hook_z', dIn: 6 })).toThrow(/2 heads × 2 = 4/);
    expect(() => attentionShape(engine, { id: 'a', hookName: 'blocks.5.attn.hook_z', dIn: 4 })).toThrow(/blocks 0 … 1/);
    expect(() => attentionShape(engine, { id: 'a', hookName: 'blocks.1.hook_resid_pre', dIn: 4 })).toThrow(/not an attention output/);
  });
});

describe('the heads file', () => {
  it('reads back what was packed, to three decimals', async () => {
    const stats: HeadStats = {
      saeId: 'L0-attn',
      layer: 0,
      nHeads: 2,
      dHead: 2,
      weightShares: weightShareMatrix(W_enc, 3, 2, 2),
      corpusShares: Float32Array.from([0.12345, 0.87655, 0, 0, -0.5, 1.5]),
      examples: Uint16Array.from([10, 0, 3]),
      heads: headSummaries(Float32Array.from([1, 0, 0, 1, 0, 1]), Float32Array.from([5, 5, 5]), Float32Array.from([1, 0, 0.99, 0.1, 0, 1]), 3, 2, 2),
    };
    const back = await readHeadStats(await packHeadStats(stats), 'heads.bin');
    expect(Array.from(back.corpusShares)).toEqual([0.123, 0.877, 0, 0, -0.5, 1.5].map(Math.fround));
    expect(Array.from(back.examples)).toEqual([10, 0, 3]);
    expect(back.heads[1]!.score).toBeCloseTo(2, 3);
    await expect(readHeadStats(new Uint8Array(20), 'dashboards/x/heads.bin')).rejects.toThrow(/dashboards\/x\/heads.bin is not a readable heads file/);
  });
});
