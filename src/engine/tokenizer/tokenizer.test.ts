import { describe, expect, it } from 'vitest';
import { EngineError } from '../types';
import { BYTE_TO_CHAR } from './byteLevel';
import { splitGpt2 } from './pretokenize';
import { Tokenizer } from './tokenizer';

/**
 * A toy byte-level vocabulary: id b is the character of byte b, then a few merges whose results were
 * worked out by hand below.
 */
const MERGES = [
  ['Ġ', 't'], // 256 "Ġt"
  ['h', 'e'], // 257 "he"
  ['Ġt', 'he'], // 258 "Ġthe"
  ['l', 'l'], // 259 "ll"
  ['e', 'll'], // 260 "ell"
  ['h', 'ell'], // 261 "hell": never reached from "hello", because h+e (rank 1) merges first
  ['a', 'a'], // 262 "aa"
] as const;
const EOT_ID = 263;

function toyTokenizerJson(mergeStyle: 'strings' | 'pairs') {
  const vocab: Record<string, number> = {};
  BYTE_TO_CHAR.forEach((c, b) => (vocab[c] = b));
  MERGES.forEach(([a, b], i) => (vocab[a + b] = 256 + i));
  vocab['<|endoftext|>'] = EOT_ID;
  return {
    version: '1.0',
    added_tokens: [
      { id: EOT_ID, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      vocab,
      merges: mergeStyle === 'strings' ? MERGES.map(([a, b]) => `${a} ${b}`) : MERGES.map(([a, b]) => [a, b]),
    },
  };
}

const byteId = (ch: string) => ch.charCodeAt(0); // ASCII letters are their own byte character

describe('GPT-2 pre-tokenizer', () => {
  it('splits contractions off the word before them', () => {
    expect(splitGpt2("I'm sure they'll say it's fine, don't you?")).toEqual([
      'I', "'m", ' sure', ' they', "'ll", ' say', ' it', "'s", ' fine', ',', ' don', "'t", ' you', '?',
    ]);
    // contractions are lower-case only: "'S" is punctuation then a letter
    expect(splitGpt2("'S ")).toEqual(["'", 'S', ' ']);
  });

  it('keeps one space of a whitespace run for the next word', () => {
    expect(splitGpt2('a   b\n\n  c  ')).toEqual(['a', '  ', ' b', '\n\n ', ' c', '  ']);
  });

  it('treats accented letters as letters and splits digits from letters and punctuation', () => {
    expect(splitGpt2('héllo wörld ñ')).toEqual(['héllo', ' wörld', ' ñ']);
    expect(splitGpt2('abc123 4.5%')).toEqual(['abc', '123', ' 4', '.', '5', '%']);
  });

  it('keeps an emoji with its skin-tone modifier as one punctuation word', () => {
    expect(splitGpt2('x 👋🏽 hi!!')).toEqual(['x', ' 👋🏽', ' hi', '!!']);
  });

  it('uses Unicode White_Space as Python does: U+0085 is space, U+FEFF is not', () => {
    expect(splitGpt2('\tfoo\u3000bar\u0085baz\ufeffq')).toEqual([
      '\t', 'foo', '\u3000', 'bar', '\u0085', 'baz', '\ufeff', 'q',
    ]);
  });
});

describe('byte-level BPE tokenizer', () => {
  const tok = Tokenizer.fromJson(toyTokenizerJson('strings'));

  it('merges by rank, lowest first', () => {
    expect(tok.encode('the')).toEqual([byteId('t'), 257]);
    expect(tok.encode(' hello')).toEqual([byteId(' '), 257, 259, byteId('o')]);
    expect(tok.encode(' theell')).toEqual([258, 260]);
  });

  it('merges equal-rank pairs leftmost first', () => {
    expect(tok.encode('aaaaa')).toEqual([262, 262, byteId('a')]);
  });

  it('handles a very long word (a page without spaces)', () => {
    const ids = tok.encode('a'.repeat(100_001));
    expect(ids).toHaveLength(50_001);
    expect(ids.slice(0, 3)).toEqual([262, 262, 262]);
    expect(ids.at(-1)).toBe(byteId('a'));
  });

  it('reads merges given as [a, b] pairs exactly like "a b" strings', () => {
    const fromPairs = Tokenizer.fromJson(toyTokenizerJson('pairs'));
    const text = 'the hello theell aaaaa';
    expect(fromPairs.encode(text)).toEqual(tok.encode(text));
  });

  it('finds <|endoftext|> before pre-tokenizing, even inside a word', () => {
    expect(tok.encode('a<|endoftext|>b')).toEqual([byteId('a'), EOT_ID, byteId('b')]);
    expect(tok.encode(' the<|endoftext|>the')).toEqual([258, EOT_ID, byteId('t'), 257]);
    expect(tok.tokenToId('<|endoftext|>')).toBe(EOT_ID);
  });

  it('encodes an emoji as its four UTF-8 bytes and shows each partial token by its bytes', () => {
    const ids = tok.encode('👋');
    expect(ids).toEqual([0xf0, 0x9f, 0x91, 0x8b]);
    expect(ids.map((id) => tok.tokenText(id))).toEqual(['\\xF0', '\\x9F', '\\x91', '\\x8B']);
    expect(tok.decode(ids)).toBe('👋');
    // half a character decodes to the replacement character, as in Hugging Face tokenizers
    expect(tok.decode(ids.slice(0, 2))).toBe('\ufffd');
  });

  it('decodes back to the exact text, whitespace runs and unicode included', () => {
    for (const text of ['  two  spaces\n\n\ttab', 'héllo wörld — “quotes” 日本語', 'x 👋🏽 hi!! <|endoftext|> y', '']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('shows whole tokens as text and the end-of-text token by its name', () => {
    expect(tok.tokenText(258)).toBe(' the');
    expect(tok.tokenText(EOT_ID)).toBe('<|endoftext|>');
  });

  it('knows its special tokens from the ordinary ones', () => {
    expect(tok.isSpecial(EOT_ID)).toBe(true);
    expect(tok.isSpecial(258)).toBe(false);
  });

  it('stops at maxTokens', () => {
    expect(tok.encode('the hello the hello', { maxTokens: 3 })).toEqual([byteId('t'), 257, byteId(' ')]);
  });

  it('reports ids outside the vocabulary', () => {
    expect(() => tok.decode([9999])).toThrow(/Token id 9999 is not in the vocabulary/);
  });

  it('puts a space before the text when add_prefix_space is set', () => {
    const json = toyTokenizerJson('strings');
    json.pre_tokenizer.add_prefix_space = true;
    expect(Tokenizer.fromJson(json).encode('the')).toEqual([258]);
  });
});

describe('tokenizer.json validation', () => {
  const rejects = (mutate: (j: ReturnType<typeof toyTokenizerJson>) => unknown, message: RegExp) => {
    const json = toyTokenizerJson('strings');
    const changed = mutate(json) ?? json;
    let err: unknown;
    try {
      Tokenizer.fromJson(changed, 'my/tokenizer.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/^my\/tokenizer\.json: /);
    expect((err as EngineError).message).toMatch(message);
    expect((err as EngineError).source).toBe('my/tokenizer.json');
  };

  it('refuses tokenizers that are not byte-level BPE, saying what they are', () => {
    rejects((j) => void ((j.model as { type: string }).type = 'WordPiece'), /model\.type is "WordPiece"/);
    rejects((j) => void ((j as { pre_tokenizer: unknown }).pre_tokenizer = { type: 'Metaspace' }), /pre_tokenizer is Metaspace/);
    rejects((j) => void ((j as { normalizer: unknown }).normalizer = { type: 'NFC' }), /normalizer \(NFC\)/);
    rejects((j) => void (j.model.continuing_subword_prefix = '##'), /continuing_subword_prefix/);
  });

  it('refuses broken files with the entry at fault', () => {
    rejects(() => ['not', 'an', 'object'], /not a JSON object/);
    rejects((j) => void ((j.model.merges as string[])[2] = 'Ġthe'), /model\.merges\[2\] is "Ġthe"/);
    rejects((j) => void ((j.model.merges as string[]).push('x y')), /merge #7 \("x y"\) makes "xy", which is not in model\.vocab/);
  });
});
