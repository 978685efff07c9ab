/**
 * GPT-2's pre-tokenizer: splits text into words (contractions, letter runs, digit runs, punctuation
 * runs, whitespace) before BPE runs inside each word.
 *
 * The pattern is GPT-2's, with `\s` spelled `\p{White_Space}`: JavaScript's `\s` also matches U+FEFF
 * and misses U+0085, while Python's `regex` and the Rust `tokenizers` follow the Unicode White_Space
 * property, which is what the vocabularies were trained with.
 */
const WS = '\\p{White_Space}';
const NOT_WS = '\\P{White_Space}';

const GPT2_SPLIT_PATTERN =
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|${WS}+(?!${NOT_WS})|${WS}+`;

const gpt2Split = new RegExp(GPT2_SPLIT_PATTERN, 'gu');

/** The words of `text` in order; concatenated they give `text` back. */
export function splitGpt2(text: string): string[] {
  return text.match(gpt2Split) ?? [];
}
