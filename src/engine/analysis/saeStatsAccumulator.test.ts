import { describe, expect, it } from 'vitest';
import { splitRange } from './precomputeDashboards';
import { SaeStatsAccumulator } from './saeStatsAccumulator';
import { sparsifyRows } from '../sae/sparseRows';
import { randomActs } from './testData';

describe('a corpus pass split into parts', () => {
  const [seqLen, nSeqs, dSae] = [8, 12, 10];
  const acts = randomActs(seqLen * nSeqs, dSae, 0.3, 11);
  const chunk = (from: number, to: number) => sparsifyRows(acts.slice(from * seqLen * dSae, to * seqLen * dSae), (to - from) * seqLen, dSae);

  it('collects exactly what one pass over the whole corpus collects', () => {
    const whole = new SaeStatsAccumulator(null, dSae, seqLen);
    for (let s = 0; s < nSeqs; s += 2) whole.addRows(chunk(s, s + 2), s * seqLen);

    // The first batch fixes the stride; the parts run elsewhere and are added back in order.
    const first = new SaeStatsAccumulator(null, dSae, seqLen);
    first.addRows(chunk(0, 2), 0);
    const stride = first.correlationStride!;
    const parts = splitRange(2, nSeqs, 2, 2).map(([from, to]) => {
      const part = new SaeStatsAccumulator(null, dSae, seqLen, stride);
      for (let s = from; s < to; s += 2) part.addRows(chunk(s, s + 2), s * seqLen);
      return part.takePartial();
    });
    const merged = new SaeStatsAccumulator(null, dSae, seqLen);
    merged.addPartial(first.takePartial());
    for (const p of parts) merged.addPartial(p);

    const a = whole.finish();
    const b = merged.finish();
    expect(Array.from(b.columns.colStart)).toEqual(Array.from(a.columns.colStart));
    expect(Array.from(b.columns.tokens)).toEqual(Array.from(a.columns.tokens));
    expect(Array.from(b.columns.values)).toEqual(Array.from(a.columns.values));
    expect(b.coactivation!.sampledTokens).toBe(a.coactivation!.sampledTokens);
    const [ca, cb] = [a.coactivation!.topCorrelated(3), b.coactivation!.topCorrelated(3)];
    expect(Array.from(cb.indices)).toEqual(Array.from(ca.indices));
    cb.values.forEach((v, i) => expect(v).toBeCloseTo(ca.values[i]!, 6));
  });

  it('refuses parts that sampled correlations at another stride', () => {
    const a = new SaeStatsAccumulator(null, dSae, seqLen, 1);
    a.addRows(chunk(0, 1), 0);
    const b = new SaeStatsAccumulator(null, dSae, seqLen, 2);
    b.addRows(chunk(1, 2), seqLen);
    const merged = new SaeStatsAccumulator(null, dSae, seqLen);
    merged.addPartial(a.takePartial());
    expect(() => merged.addPartial(b.takePartial())).toThrow(/stride 2, this pass 1/);
  });

  it('splits sequences into whole batches, as evenly as possible', () => {
    expect(splitRange(16, 1687, 2, 16)).toEqual([[16, 864], [864, 1687]]);
    expect(splitRange(0, 10, 4, 16)).toEqual([[0, 10]]);
  });
});
