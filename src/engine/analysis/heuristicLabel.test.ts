import { describe, expect, it } from 'vitest';
import { AFTER_BOS, heuristicLabel, labelEvidence, quoteToken, type LabelEvidence } from './heuristicLabel';

const vocab = ['<bos>', ' Lord', ' God', ' the', ' of', '\n', ' in', ' a', ' and', ' persons', ' men'];
const text = (id: number) => vocab[id]!;
/** No token carries most of the corpus activation, unless a test says so. */
const spread = [
  { id: 4, share: 0.3 },
  { id: 6, share: 0.2 },
];
// By default every peak has a different token before it.
const label = (peakTokens: number[], previousTokens: number[] = peakTokens.map((_, i) => i % vocab.length), corpusTokens: LabelEvidence['corpusTokens'] = spread) =>
  heuristicLabel({ peakTokens, previousTokens, corpusTokens, nSeqs: 1686 }, text);

describe('heuristic labels', () => {
  it('name the token that carries most of the feature’s activation over the corpus (the “fires on” figures), with a notable runner-up', () => {
    expect(label([1, 2, 3], undefined, [{ id: 9, share: 0.62 }, { id: 10, share: 0.25 }])).toBe('mostly “ persons” / “ men”');
    expect(label([1, 2, 3], undefined, [{ id: 9, share: 0.5 }, { id: 10, share: 0.1 }])).toBe('mostly “ persons”');
  });

  it('say so when they read the top examples, so a token the top peaks share never reads as what the feature fires on', () => {
    expect(label([1, 1, 1, 1, 1, 1, 1, 2, 3, 4])).toBe('top 10: “ Lord”');
    expect(label([9, 9, 9, 9, 9, 10, 10, 10, 3, 4])).toBe('top 10: “ persons” / “ men”');
  });

  it('say which token comes before the top peaks when that is what they share', () => {
    expect(label([1, 2, 4, 6, 7, 8, 9, 10, 1, 2], [3, 3, 3, 3, 3, 3, 3, 4, 5, 6])).toBe('top 10: after “ the”');
  });

  it('call a peak right after BOS position 1 of a window, never the first token of a sequence (held-out windows start mid-document)', () => {
    const l = label([1, 2, 3, 4, 6], [AFTER_BOS, AFTER_BOS, AFTER_BOS, AFTER_BOS, 3]);
    expect(l).toBe('top 5: right after BOS (position 1)');
    expect(l).not.toMatch(/first token|start of|sequence/);
  });

  it('list the tokens the top examples peak on repeatedly when none dominates, and mark that there are more', () => {
    expect(label([3, 4, 3, 4, 6, 6, 1, 2, 7, 8])).toBe('top 10: “ the” / “ of” / “ in” …');
    expect(label([1, 2, 3])).toBe('top 3: “ Lord” / “ God” / “ the”');
  });

  it('say how many sequences a dead feature never fired in, and keep whitespace visible', () => {
    expect(heuristicLabel({ peakTokens: [], previousTokens: [], corpusTokens: [], nSeqs: 64 }, text)).toBe('never fires in 64 held-out sequences');
    expect(label([])).toBe('never fires in 1,686 held-out sequences');
    expect(quoteToken('\n')).toBe('“↵”');
  });

  it('never name a token as the feature’s own unless the corpus figures say it carries most of its activation', () => {
    // Every way the evidence can fall: a label that names tokens without saying "top N:" names the corpus's first.
    for (let seed = 1; seed < 300; seed++) {
      const rand = (n: number) => ((seed * 2654435761 + n * 40503) >>> 0) % vocab.length;
      const peaks = Array.from({ length: 1 + (seed % 10) }, (_, i) => 1 + (rand(i) % 10));
      const corpus = [{ id: 1 + (rand(99) % 10), share: (seed % 7) / 7 }];
      const l = label(peaks, peaks.map((_, i) => rand(i + 50)), corpus);
      if (!l.startsWith('top ')) expect(l).toBe(`mostly ${quoteToken(text(corpus[0]!.id))}`);
    }
  });
});

describe('label evidence', () => {
  it('reads the top examples’ peaks and the tokens before them in the corpus, position 1 as after BOS', () => {
    // Two sequences of 4 tokens: BOS, then three.
    const corpus = { ids: Uint16Array.from([0, 3, 2, 4, 0, 1, 2, 1]), nSeqs: 2, seqLen: 4 };
    const example = (token: number) => ({ token, start: token, values: Float32Array.of(1) });
    const evidence = labelEvidence(
      { groups: [{ kind: 'top', lo: 0, hi: 1, count: 2, examples: [example(2), example(5)] }], topTokens: [{ id: 2, share: 0.4 }] },
      corpus,
      2,
    );
    expect(evidence).toEqual({ peakTokens: [2, 1], previousTokens: [3, AFTER_BOS], corpusTokens: [{ id: 2, share: 0.4 }], nSeqs: 2 });
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
