import { describe, expect, it } from 'vitest';
import { featureExamples, type ExampleOptions } from './featureExamples';
import { featureStats } from './featureStats';
import { columnsOf, randomActs } from './testData';

const opts: ExampleOptions = { seqLen: 10, topK: 2, intervals: 2, perInterval: 5, before: 3, after: 1, signed: false };

/** One feature over 6 sequences of 10 tokens, with activations at chosen tokens. */
function oneFeature(active: Record<number, number>) {
  const acts = new Float32Array(60);
  for (const [t, v] of Object.entries(active)) acts[Number(t)] = v;
  return columnsOf(acts, 60, 1);
}

describe('feature examples', () => {
  const cols = oneFeature({ 2: 1, 5: 8, 6: 3, 11: 0.5, 31: 6, 39: 2, 45: 4, 52: 1.5 });

  it('show the sequences with the highest peaks first, one example per sequence, centred on the peak', () => {
    const [top] = featureExamples(cols, 0, opts);
    expect(top!.kind).toBe('top');
    expect(top!.count).toBe(5);
    expect(top!.hi).toBe(8);
    expect(top!.examples.map((e) => e.token)).toEqual([5, 31]);
    const first = top!.examples[0]!;
    expect(first.start).toBe(2);
    expect(Array.from(first.values)).toEqual([1, 0, 0, 8, 3]);
  });

  it('clip the window at the edges of its sequence', () => {
    const [top] = featureExamples(cols, 0, opts);
    const second = top!.examples[1]!;
    expect(second.start).toBe(30);
    expect(Array.from(second.values)).toEqual([0, 6, 0]);
  });

  it('sample the remaining sequences into activation intervals, highest interval first', () => {
    const [, upper, lower] = featureExamples(cols, 0, opts);
    // Peaks 8 and 6 fall in (4, 8] but are already shown at the top; 4, 1.5 and 0.5 fall in (0, 4].
    expect(upper).toMatchObject({ kind: 'interval', lo: 4, hi: 8, count: 2, examples: [] });
    expect(lower).toMatchObject({ kind: 'interval', lo: 0, hi: 4, count: 3 });
    expect(lower!.examples.map((e) => e.token)).toEqual([45, 52, 11]);
  });

  it('are the same on every run (seeded sampling) and none for a dead feature', () => {
    const acts = randomActs(400, 3, 0.3, 3);
    const many = columnsOf(acts, 400, 3);
    const o = { ...opts, perInterval: 2 };
    expect(featureExamples(many, 1, o)).toEqual(featureExamples(many, 1, o));
    expect(featureExamples(oneFeature({}), 0, opts)).toEqual([]);
  });

  it('rank signed activations by magnitude', () => {
    const signed = oneFeature({ 3: -9, 25: 2 });
    const [top] = featureExamples(signed, 0, { ...opts, signed: true });
    expect(top!.examples.map((e) => e.token)).toEqual([3, 25]);
    expect(top!.examples[0]!.values[3]).toBe(-9);
  });
});

describe('feature statistics', () => {
  it('count, extremes, mean over active tokens and a histogram of the active values', () => {
    const cols = oneFeature({ 1: 1, 2: 2, 3: 4 });
    const s = featureStats(cols, 4);
    expect(s.nActive[0]).toBe(3);
    expect(s.max[0]).toBe(4);
    expect(s.min[0]).toBe(1);
    expect(s.meanActive[0]).toBeCloseTo(7 / 3);
    expect([s.histLo[0], s.histHi[0]]).toEqual([0, 4]);
    expect(Array.from(s.histCounts)).toEqual([0, 1, 1, 1]);
  });
});
