/**
 * An example's tokens come from the corpus: the dashboard stores only where the example is
 * (global token index) and the feature's activations over the window.
 */
import type { Corpus } from '../../engine/analysis/corpus';
import type { DashboardExample } from '../../engine/analysis/featureDashboard';

export interface ExampleTokens {
  /** token texts of the window */
  tokens: string[];
  /** index of the peak token in the window */
  peak: number;
  seq: number;
  /** position of the peak in its sequence */
  pos: number;
}

export function exampleTokens(example: DashboardExample, corpus: Corpus, vocab: readonly string[]): ExampleTokens {
  const end = example.start + example.values.length;
  if (end > corpus.ids.length) {
    throw new RangeError(`An example refers to tokens ${example.start}–${end - 1}, beyond the corpus's ${corpus.ids.length}.`);
  }
  const ids = corpus.ids.subarray(example.start, end);
  return {
    tokens: Array.from(ids, (id) => vocab[id] ?? `⟨${id}⟩`),
    peak: example.token - example.start,
    seq: Math.floor(example.token / corpus.seqLen),
    pos: example.token % corpus.seqLen,
  };
}

/**
 * A starting text for "test your text": the top example's sequence up to a few tokens past its
 * peak, without BOS, so the reader sees the feature fire before typing anything.
 */
export function sampleText(example: DashboardExample, corpus: Corpus, vocab: readonly string[], after = 8): string {
  const seqStart = example.token - (example.token % corpus.seqLen);
  const from = Math.max(seqStart + 1, example.token - 40);
  const to = Math.min(seqStart + corpus.seqLen, example.token + after + 1);
  return Array.from(corpus.ids.subarray(from, to), (id) => vocab[id] ?? '').join('').trim();
}
