import { describe, expect, it } from 'vitest';
import { heuristicLabel, quoteToken, SEQUENCE_START } from './heuristicLabel';

const vocab = ['<bos>', ' Lord', ' God', ' the', ' of', '\n', ' in', ' a', ' and', ' persons', ' men'];
const text = (id: number) => vocab[id]!;
// By default every peak has a different token before it.
const label = (peakTokens: number[], previousTokens: number[] = peakTokens.map((_, i) => i % vocab.length)) => heuristicLabel({ peakTokens, previousTokens }, text);

describe('heuristic labels', () => {
  it('name the token the top examples peak on', () => {
    expect(label([1, 1, 1, 1, 1, 1, 1, 2, 3, 4])).toBe('“ Lord”');
  });

  it('add a notable runner-up', () => {
    expect(label([9, 9, 9, 9, 9, 10, 10, 10, 3, 4])).toBe('“ persons” / “ men”');
  });

  it('say which token comes before when that is what the feature tracks', () => {
    expect(label([1, 2, 4, 6, 7, 8, 9, 10, 1, 2], [3, 3, 3, 3, 3, 3, 3, 4, 5, 6])).toBe('after “ the”');
  });

  it('list the tokens it peaks on repeatedly when none dominates, and mark that there are more', () => {
    expect(label([3, 4, 3, 4, 6, 6, 1, 2, 7, 8])).toBe('“ the” / “ of” / “ in” …');
    expect(label([1, 2, 3])).toBe('“ Lord” / “ God” / “ the”');
  });

  it('say when the feature fires at the start of sequences', () => {
    expect(label([1, 2, 3, 4, 6], [SEQUENCE_START, SEQUENCE_START, SEQUENCE_START, SEQUENCE_START, 3])).toBe('first token of a sequence');
  });

  it('mark features that never fire, and keep whitespace visible', () => {
    expect(label([])).toBe('never fires on the corpus');
    expect(quoteToken('\n')).toBe('“↵”');
  });
});

describe('token profiles', () => {
  it('give each token its share of the feature’s activation', async () => {
    const { tokenProfiles } = await import('./tokenProfile');
    const { columnsOf } = await import('./testData');
    // Two sequences of 4 tokens, one feature active on " God" (1 and 1) and " Lord" (4).
    const ids = Uint16Array.from([0, 3, 2, 4, 0, 1, 2, 1]);
    const acts = Float32Array.from([0, 0, 1, 0, 0, 4, 1, 0]);
    const [profile] = tokenProfiles(columnsOf(acts, 8, 1), ids, vocab.length, 3);
    expect(profile).toEqual([{ id: 1, share: 4 / 6 }, { id: 2, share: 2 / 6 }]);
  });
});
