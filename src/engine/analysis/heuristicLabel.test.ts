import { describe, expect, it } from 'vitest';
import { heuristicLabel, quoteToken } from './heuristicLabel';
import { tokenProfiles } from './tokenProfile';
import { columnsOf } from './testData';

const vocab = ['<bos>', ' Lord', ' God', ' the', ' of', '\n', ' in', ' a', ' and'];
const text = (id: number) => vocab[id]!;

describe('heuristic labels', () => {
  it('name the one token a feature fires on', () => {
    expect(heuristicLabel({ current: [{ id: 1, share: 0.9 }], previous: [] }, text)).toBe('“ Lord”');
  });

  it('add a notable runner-up', () => {
    expect(heuristicLabel({ current: [{ id: 1, share: 0.6 }, { id: 2, share: 0.3 }], previous: [] }, text)).toBe('“ Lord” / “ God”');
  });

  it('say which token comes before when that is what the feature tracks', () => {
    const profile = { current: [{ id: 1, share: 0.2 }, { id: 2, share: 0.2 }, { id: 4, share: 0.1 }], previous: [{ id: 3, share: 0.8 }] };
    expect(heuristicLabel(profile, text)).toBe('after “ the”');
  });

  it('list the commonest tokens when none dominates, and say so when they cover little', () => {
    const spread = { current: [{ id: 3, share: 0.3 }, { id: 4, share: 0.25 }, { id: 6, share: 0.1 }], previous: [] };
    expect(heuristicLabel(spread, text)).toBe('“ the” / “ of” / “ in”');
    const thin = { current: [{ id: 3, share: 0.1 }, { id: 4, share: 0.08 }, { id: 7, share: 0.02 }], previous: [] };
    expect(heuristicLabel(thin, text)).toBe('mixed: “ the” / “ of” …');
  });

  it('mark features that never fire, and keep whitespace visible', () => {
    expect(heuristicLabel({ current: [], previous: [] }, text)).toBe('never fires on the corpus');
    expect(quoteToken('\n')).toBe('“↵”');
  });

  it('come from each token’s share of the activation, with the previous token in the same sequence', () => {
    // Two sequences of 4 tokens: ids, and one feature active on the " God" tokens.
    const ids = Uint16Array.from([0, 3, 2, 4, 0, 3, 2, 1]);
    const acts = Float32Array.from([0, 0, 3, 0, 0, 0, 1, 0]);
    const [profile] = tokenProfiles(columnsOf(acts, 8, 1), ids, 4, vocab.length, 3);
    expect(profile!.current).toEqual([{ id: 2, share: 1 }]);
    expect(profile!.previous).toEqual([{ id: 3, share: 1 }]);
    expect(heuristicLabel(profile!, text)).toBe('“ God”');
  });
});
