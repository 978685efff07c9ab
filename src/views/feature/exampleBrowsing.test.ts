import { describe, expect, it } from 'vitest';
import { browseExamples, exampleSequence } from './exampleBrowsing';

// Two sequences of 6 tokens (BOS first): " the cat sat on mat" and " a dog sat by the".
const vocab = ['<bos>', ' the', ' cat', ' sat', ' on', ' mat', ' a', ' dog', ' by'];
const corpus = { ids: Uint16Array.from([0, 1, 2, 3, 4, 5, 0, 6, 7, 3, 8, 1]), nSeqs: 2, seqLen: 6 };
/** An example peaking at global token `token` with `value`, its window the token and the one before. */
const example = (token: number, value: number) => ({ token, start: token - 1, values: Float32Array.of(0.1, value) });
const examples = [example(3, 5), example(8, 4), example(2, 3), example(11, 2)];
const peakTexts = (list: { token: number }[]) => list.map((e) => vocab[corpus.ids[e.token]!]);

describe('browsing a feature’s examples', () => {
  it('keeps those whose peak token contains the query, whatever the case and leading space', () => {
    expect(peakTexts(browseExamples(examples, corpus, vocab, 'SAT', 'activation'))).toEqual([' sat']);
    expect(peakTexts(browseExamples(examples, corpus, vocab, 'a', 'activation'))).toEqual([' sat', ' cat']);
    expect(peakTexts(browseExamples(examples, corpus, vocab, ' ', 'activation'))).toEqual([' sat', ' dog', ' cat', ' the']);
    expect(browseExamples(examples, corpus, vocab, 'zebra', 'activation')).toEqual([]);
  });

  it('sorts by activation, by peak token, or by place in the corpus', () => {
    expect(peakTexts(browseExamples(examples, corpus, vocab, '', 'token'))).toEqual([' cat', ' dog', ' sat', ' the']);
    expect(browseExamples(examples, corpus, vocab, '', 'position').map((e) => e.token)).toEqual([2, 3, 8, 11]);
    expect(browseExamples(examples.slice().reverse(), corpus, vocab, '', 'activation').map((e) => e.token)).toEqual([3, 8, 2, 11]);
  });

  it('gives an example’s whole sequence without BOS, with activations where its window stored them', () => {
    const s = exampleSequence(example(8, 4), corpus, vocab);
    expect(s.seq).toBe(1);
    expect(s.tokens).toEqual([' a', ' dog', ' sat', ' by', ' the']);
    expect(s.values).toEqual([expect.closeTo(0.1, 6), 4, null, null, null]);
    expect(s.tokens[s.peak]).toBe(' dog');
  });
});
