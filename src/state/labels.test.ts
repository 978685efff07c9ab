import { describe, expect, it } from 'vitest';
import { labelAt, mergeLabels } from './labels';

const layers = { heuristic: ['“ a”', '“ b”', '“ c”'], bundle: new Map([[1, 'bundled'], [2, 'bundled too']]) };

describe('feature labels', () => {
  it('prefer the reader’s explanations, then the bundle’s, then the heuristic label', () => {
    expect(mergeLabels(layers, { 2: 'mine', 9: 'out of range' })).toEqual([
      { text: '“ a”', origin: 'heuristic' },
      { text: 'bundled', origin: 'bundle' },
      { text: 'mine', origin: 'imported' },
    ]);
  });

  it('give one feature’s label the same way, and the reader’s explanation before any dashboards arrive', () => {
    expect(labelAt(layers, undefined, 1)).toEqual({ text: 'bundled', origin: 'bundle' });
    expect(labelAt(null, 'mine', 4)).toEqual({ text: 'mine', origin: 'imported' });
    expect(labelAt(null, undefined, 4)).toBeUndefined();
  });
});
