import { describe, expect, it } from 'vitest';
import { mergeLabels } from './labels';

describe('feature labels', () => {
  it('prefer the reader’s explanations, then the bundle’s, then the heuristic label', () => {
    const merged = mergeLabels(['“ a”', '“ b”', '“ c”'], new Map([[1, 'bundled'], [2, 'bundled too']]), { 2: 'mine', 9: 'out of range' });
    expect(merged).toEqual([
      { text: '“ a”', origin: 'heuristic' },
      { text: 'bundled', origin: 'bundle' },
      { text: 'mine', origin: 'imported' },
    ]);
  });
});
