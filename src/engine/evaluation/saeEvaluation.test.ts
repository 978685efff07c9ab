import { describe, expect, it } from 'vitest';
import { bootstrap, CrossEntropy, HookMoments, saeFigures, SaeTally } from './saeEvaluation';

describe('HookMoments', () => {
  it("gives each sequence's squared distance from the mean without a second pass", () => {
    const m = new HookMoments(2, 2);
    // BOS rows (first of each sequence) are left out
    m.add(0, Float32Array.from([9, 9, 1, 2, 3, 4]), 3);
    m.add(1, Float32Array.from([9, 9, 5, 6]), 2);
    const mu = m.mean([0, 1]);
    expect(Array.from(mu)).toEqual([3, 4]);
    expect(m.variance(0, mu)).toBeCloseTo(4 + 4 + 0 + 0);
    expect(m.variance(1, mu)).toBeCloseTo(4 + 4);
  });
});

describe('CrossEntropy', () => {
  it('is log V for uniform logits, per prediction', () => {
    const ce = new CrossEntropy(1);
    ce.add(0, new Float32Array(3 * 4), [0, 1, 2], 4);
    expect(ce.targets[0]).toBe(2);
    expect(ce.mean([0])).toBeCloseTo(Math.log(4));
  });
});

describe('bootstrap', () => {
  it('brackets the statistic and is reproducible', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8];
    const mean = (set: readonly number[]) => set.reduce((a, s) => a + values[s]!, 0) / set.length;
    const seqs = values.map((_, i) => i);
    const a = bootstrap(seqs, mean, 500, 7);
    expect(a.value).toBe(4.5);
    expect(a.lo).toBeLessThan(4.5);
    expect(a.hi).toBeGreaterThan(4.5);
    expect(bootstrap(seqs, mean, 500, 7)).toEqual(a);
  });
});

describe('saeFigures', () => {
  it('gives FVU, L0, dead latents and CE recovered from the tallies', () => {
    const d = 2;
    const moments = new HookMoments(1, d);
    const acts = Float32Array.from([0, 0, 1, 0, -1, 0]);
    moments.add(0, acts, 3);
    const tally = new SaeTally(1, 3, 1);
    const feats = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 0, 2]);
    const recon = Float32Array.from([0, 0, 0.5, 0, -1, 0]);
    tally.add(0, 0, feats, acts, recon, 3, d);
    const clean = new CrossEntropy(1);
    const zero = new CrossEntropy(1);
    clean.nats[0] = 2;
    clean.targets[0] = 1;
    zero.nats[0] = 4;
    zero.targets[0] = 1;
    tally.ceSpliced.nats[0] = 2.5;
    tally.ceSpliced.targets[0] = 1;
    const f = saeFigures(tally, moments, clean, zero, [0], [0], 10, 1);
    expect(f.l0.value).toBe(1);
    expect(f.fvu.value).toBeCloseTo(0.25 / 2);
    expect(f.deadPct).toBeCloseTo(100 / 3);
    expect(f.ceRecoveredPct.value).toBeCloseTo(75);
  });
});
