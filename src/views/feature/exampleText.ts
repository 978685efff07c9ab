/**
 * An example's tokens come from the corpus: the dashboard stores only where the example is
 * (global token index) and the feature's activations over the window.
 */
import type { Corpus } from '../../dashboardData/corpus';
import type { DashboardExample } from '../../dashboardData/featureDashboard';
import { EngineError } from '../../errors/engineError';

export interface ExampleTokens {
  /** token texts of the window */
  tokens: string[];
  /** the feature's activation on each of them */
  values: Float32Array;
  /** index of the peak token in the window */
  peak: number;
  seq: number;
  /** position of the peak in its sequence */
  pos: number;
}

/**
 * The window's tokens and activations. A window that reaches back to its sequence's start leaves
 * out position 0: that is BOS, which the reader never typed and the statistics never count.
 */
export function exampleTokens(example: DashboardExample, corpus: Corpus, vocab: readonly string[]): ExampleTokens {
  const end = example.start + example.values.length;
  if (end > corpus.ids.length) {
    throw new EngineError(`An example refers to tokens ${example.start}–${end - 1}, beyond the corpus's ${corpus.ids.length}.`);
  }
  const skip = example.start % corpus.seqLen === 0 && example.token > example.start ? 1 : 0;
  const start = example.start + skip;
  return {
    tokens: Array.from(corpus.ids.subarray(start, end), (id) => vocab[id] ?? `⟨${id}⟩`),
    values: example.values.subarray(skip),
    peak: example.token - start,
    seq: Math.floor(example.token / corpus.seqLen),
    pos: example.token % corpus.seqLen,
  };
}

/** Ends a sentence: ".", "!" or "?" (maybe followed by a closing quote), or a line break. */
const SENTENCE_END = /([.!?]["'”’)]?|\n)\s*$/;
/** Continues the word before it (starts with a letter or digit, no space). */
const WORD_CONTINUES = /^[\p{L}\p{N}]/u;

/**
 * A starting text for "test your text": the top example's sentence around its peak, without BOS,
 * so the reader sees the feature fire before typing anything. It starts after the last sentence end
 * before the peak (within 40 tokens) and stops at the next sentence end, or `after` tokens past the
 * peak at the end of a word.
 */
export function sampleText(example: DashboardExample, corpus: Corpus, vocab: readonly string[], after = 8): string {
  const text = (t: number) => vocab[corpus.ids[t]!] ?? '';
  const seqStart = example.token - (example.token % corpus.seqLen);
  const seqEnd = seqStart + corpus.seqLen;
  let from = Math.max(seqStart + 1, example.token - 40);
  for (let t = example.token - 1; t >= from; t--) {
    if (SENTENCE_END.test(text(t))) {
      from = t + 1;
      break;
    }
  }
  let to = Math.min(seqEnd, example.token + after + 1);
  const sentenceEnd = Array.from({ length: Math.max(0, Math.min(seqEnd, example.token + after + 12) - example.token - 1) }, (_, i) => example.token + 1 + i).find((t) =>
    SENTENCE_END.test(text(t)),
  );
  if (sentenceEnd !== undefined) to = sentenceEnd + 1;
  else while (to < seqEnd && to < example.token + after + 6 && WORD_CONTINUES.test(text(to))) to++;
  return Array.from({ length: to - from }, (_, i) => text(from + i)).join('').trim();
}
