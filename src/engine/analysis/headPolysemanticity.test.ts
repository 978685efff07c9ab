import { describe, expect, it } from 'vitest';
import { headPolysemanticity } from './headPolysemanticity';

/** Decoder rows [d_sae, 4]: the standard basis e0…e3, then e0 again slightly turned, then −e0. */
const W_dec = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0.95, 0.05, 0, 0, -1, 0, 0, 0]);
const mass = (...m: number[]) => Float32Array.from({ length: 6 }, (_, i) => m[i] ?? 0);

describe('headPolysemanticity', () => {
  it('scores a head that writes one feature 1, the lowest', () => {
    const r = headPolysemanticity(mass(5), W_dec, 4);
    expect(r.score).toBe(1);
    expect(r.groups).toEqual([[0]]);
  });

  it('counts features along one direction as one thing', () => {
    expect(headPolysemanticity(mass(3, 0, 0, 0, 3), W_dec, 4).score).toBeCloseTo(1, 6);
  });

  it('scores an even split over k unrelated features k', () => {
    expect(headPolysemanticity(mass(1, 1), W_dec, 4).score).toBeCloseTo(2, 6);
    expect(headPolysemanticity(mass(1, 1, 1, 1), W_dec, 4).score).toBeCloseTo(4, 6);
    // opposite directions are different things
    expect(headPolysemanticity(mass(1, 0, 0, 0, 0, 1), W_dec, 4).score).toBeCloseTo(2, 6);
  });

  it('weighs groups by mass, and leaves the faint tail out', () => {
    const uneven = headPolysemanticity(mass(9, 1), W_dec, 4, { coverage: 1 });
    expect(uneven.score).toBeGreaterThan(1);
    expect(uneven.score).toBeLessThan(2);
    expect(uneven.shares).toEqual([0.9, 0.1]);
    expect(headPolysemanticity(mass(95, 2, 2, 1), W_dec, 4).groups).toEqual([[0]]);
  });

  it('gives a head that wrote nothing no score', () => {
    expect(headPolysemanticity(mass(), W_dec, 4)).toEqual({ score: 0, groups: [], shares: [] });
  });
});
