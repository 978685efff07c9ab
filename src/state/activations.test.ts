import { describe, expect, it } from 'vitest';
import {
  activeCountAt,
  featureColumn,
  maxAbs,
  strongestFeatures,
  topFeaturesAt,
  topFeaturesOverall,
} from './activations';

// 3 tokens × 4 features
const acts = new Float32Array([
  0, 0, 0, 0, //
  0.5, 2, 0, 1, //
  0, -3, 0, 2.5,
]);

describe('strongestFeatures', () => {
  it('finds each token’s feature of largest magnitude, keeping its sign', () => {
    const { feature, value } = strongestFeatures(acts, 3, 4);
    expect([...feature]).toEqual([-1, 1, 1]);
    expect([...value]).toEqual([0, 2, -3]);
  });
});

describe('featureColumn', () => {
  it('reads one feature across tokens', () => {
    expect([...featureColumn(acts, 3, 4, 3)]).toEqual([0, 1, 2.5]);
  });
  it('refuses a feature the SAE does not have, naming the valid range', () => {
    expect(() => featureColumn(acts, 3, 4, 4)).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/features 0 to 3/) }));
  });
});

describe('topFeaturesAt', () => {
  it('lists the active features of a token by magnitude, without zeros', () => {
    expect(topFeaturesAt(acts, 4, 1, 10)).toEqual([
      { index: 1, value: 2 },
      { index: 3, value: 1 },
      { index: 0, value: 0.5 },
    ]);
    expect(topFeaturesAt(acts, 4, 2, 1)).toEqual([{ index: 1, value: -3 }]);
    expect(topFeaturesAt(acts, 4, 0, 10)).toEqual([]);
  });
});

describe('activeCountAt', () => {
  it('counts non-zero features on a token', () => {
    expect([0, 1, 2].map((t) => activeCountAt(acts, 4, t))).toEqual([0, 3, 2]);
  });
});

describe('maxAbs', () => {
  it('takes the largest magnitude, optionally skipping the first entries', () => {
    expect(maxAbs([10, -3, 2])).toBe(10);
    expect(maxAbs([10, -3, 2], 1)).toBe(3);
    expect(maxAbs([], 0)).toBe(0);
  });
});

describe('topFeaturesOverall', () => {
  it('ranks features by their peak over the prompt and says on which token it is', () => {
    expect(topFeaturesOverall(acts, 3, 4, 10)).toEqual([
      { index: 1, value: -3, token: 2 },
      { index: 3, value: 2.5, token: 2 },
      { index: 0, value: 0.5, token: 1 },
    ]);
  });
  it('can leave out the first tokens (BOS)', () => {
    expect(topFeaturesOverall(acts, 3, 4, 10, 2).map((f) => f.index)).toEqual([1, 3]);
  });
});
