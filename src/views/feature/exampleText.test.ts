import { describe, expect, it } from 'vitest';
import { exampleTokens, sampleText } from './exampleText';

const vocab = ['<bos>', 'The', ' Lord', ' said', ' unto', ' Moses', '.', '\n'];
// Two sequences of 6 tokens.
const corpus = { ids: Uint16Array.from([0, 1, 2, 3, 4, 5, 0, 1, 5, 3, 6, 7]), nSeqs: 2, seqLen: 6 };

describe('example text', () => {
  it('reads the window’s tokens from the corpus and finds the peak in it', () => {
    const ex = { token: 8, start: 7, values: Float32Array.from([0, 3, 0]) };
    expect(exampleTokens(ex, corpus, vocab)).toEqual({ tokens: ['The', ' Moses', ' said'], values: Float32Array.from([0, 3, 0]), peak: 1, seq: 1, pos: 2 });
  });

  it('leaves BOS out of a window that starts its sequence', () => {
    const ex = { token: 8, start: 6, values: Float32Array.from([0, 1, 3, 0]) };
    expect(exampleTokens(ex, corpus, vocab)).toEqual({ tokens: ['The', ' Moses', ' said'], values: Float32Array.from([1, 3, 0]), peak: 1, seq: 1, pos: 2 });
  });

  it('refuses references beyond the corpus', () => {
    expect(() => exampleTokens({ token: 11, start: 10, values: new Float32Array(4) }, corpus, vocab)).toThrow(/beyond the corpus/);
  });

  it('offers the top example’s sentence, without BOS, as a text to test', () => {
    expect(sampleText({ token: 2, start: 0, values: new Float32Array(4) }, corpus, vocab, 2)).toBe('The Lord said unto');
  });

  it('starts the sample after the previous sentence and ends it at the next, or at a word’s end', () => {
    const words = ['<bos>', 'Yes', '.', ' The', ' Lord', ' spoke', '.', ' Then', ' he', ' wal', 'ked', ' on'];
    const text = { ids: Uint16Array.from(words.map((_, i) => i)), nSeqs: 1, seqLen: words.length };
    expect(sampleText({ token: 4, start: 4, values: new Float32Array(1) }, text, words)).toBe('The Lord spoke.');
    expect(sampleText({ token: 8, start: 8, values: new Float32Array(1) }, text, words, 1)).toBe('Then he walked');
  });
});
