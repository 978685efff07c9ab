import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/random';
import { symmetricEigen } from './symmetricEigen';

function randomSymmetric(d: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = random() - 0.5;
  return a;
}

describe('symmetricEigen', () => {
  it('finds orthonormal vectors with A·v = λ·v, largest eigenvalue first', () => {
    const d = 40;
    const a = randomSymmetric(d, 3);
    const { values, vectors, order } = symmetricEigen(a, d);
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j]! * vectors[j * d + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * d + k]!, 10);
      }
      for (let l = 0; l < d; l++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += vectors[i * d + k]! * vectors[i * d + l]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
    for (let k = 1; k < d; k++) expect(values[order[k - 1]!]!).toBeGreaterThanOrEqual(values[order[k]!]!);
  });

  it('handles a diagonal matrix and repeated eigenvalues', () => {
    const a = new Float64Array([2, 0, 0, 0, 5, 0, 0, 0, 2]);
    const { values, order } = symmetricEigen(a, 3);
    expect(Array.from(order, (k) => values[k])).toEqual([5, 2, 2]);
  });
});
