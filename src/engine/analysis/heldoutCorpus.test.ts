import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors/engineError';
import { BYTE_TO_CHAR } from '../tokenizer/byteLevel';
import { Tokenizer } from '../tokenizer/tokenizer';
import { MAX_READER_BYTES, parseCorpusDocuments, readerCorpus, readerDocuments, windowsOfDocuments } from './heldoutCorpus';

/** Byte-level BPE without merges: every ASCII character is its own token, id = its code. */
const BOS = 256;
const bytes = Tokenizer.fromJson({
  added_tokens: [{ id: BOS, content: '<|endoftext|>', special: true }],
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
  decoder: { type: 'ByteLevel' },
  model: { type: 'BPE', vocab: { ...Object.fromEntries(BYTE_TO_CHAR.map((c, b) => [c, b])), '<|endoftext|>': BOS }, merges: [] },
});
const ids = (s: string) => [...s].map((c) => c.charCodeAt(0));
const rows = (c: { ids: Uint16Array; nSeqs: number; seqLen: number }) => Array.from({ length: c.nSeqs }, (_, s) => Array.from(c.ids.subarray(s * c.seqLen, (s + 1) * c.seqLen)));
const file = (name: string, text: string | Uint8Array) => ({ name, bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text });

describe('windows of held-out documents', () => {
  it('cuts each source’s stream (documents each followed by BOS) into BOS-first windows, dropping the ragged end', () => {
    const docs = [
      { source: 'a', text: 'abc' },
      { source: 'b', text: 'xyzw' },
      { source: 'a', text: 'de' },
    ];
    // source a: a b c BOS d e BOS (7 tokens) → windows of 3 after BOS: [a b c] [BOS d e]; source b: x y z w BOS → [x y z]
    const { corpus, sources } = windowsOfDocuments(bytes, docs, { seqLen: 4, bos: BOS });
    expect(rows(corpus)).toEqual([
      [BOS, ...ids('abc')],
      [BOS, BOS, ...ids('de')],
      [BOS, ...ids('xyz')],
    ]);
    expect(sources).toEqual([
      { id: 'a', n_seqs: 2 },
      { id: 'b', n_seqs: 1 },
    ]);
  });

  it('stops at maxSeqs, across sources, and leaves out a source with no whole window', () => {
    const docs = [
      { source: 'a', text: 'abcdefghij' },
      { source: 'b', text: 'k' },
      { source: 'c', text: 'lmnopq' },
    ];
    expect(windowsOfDocuments(bytes, docs, { seqLen: 4, bos: BOS, maxSeqs: 2 }).sources).toEqual([{ id: 'a', n_seqs: 2 }]);
    const all = windowsOfDocuments(bytes, docs, { seqLen: 4, bos: BOS });
    expect(all.sources).toEqual([
      { id: 'a', n_seqs: 3 },
      { id: 'c', n_seqs: 2 },
    ]);
    expect(all.corpus.nSeqs).toBe(5);
  });

  it('reads the shipped JSON lines, and names the line that is not one', () => {
    expect(parseCorpusDocuments('{"source":"s","text":"t"}\n\n{"source":"u","text":"v"}\n', 'h.jsonl')).toEqual([
      { source: 's', text: 't' },
      { source: 'u', text: 'v' },
    ]);
    expect(() => parseCorpusDocuments('{"source":"s","text":"t"}\n{oops', 'h.jsonl')).toThrow(/h\.jsonl, line 2: not JSON/);
    expect(() => parseCorpusDocuments('{"text":"t"}', 'h.jsonl')).toThrow(/line 1: expected \{"source"/);
  });
});

describe('the reader’s plain text as a corpus', () => {
  const model = { n_ctx: 8, bos_token_id: BOS };

  it('makes each file a document and cuts windows no longer than the model’s context', async () => {
    const c = await readerCorpus(bytes, readerDocuments([file('one.txt', 'abcdefgh'), file('two.txt', 'ijklmnopqrstuv')]), model);
    expect(c.info).toMatchObject({ origin: 'reader', name: 'one.txt, two.txt', seqLen: 8, nSeqs: 3 });
    expect(c.info.sources).toEqual([
      { id: 'one.txt', n_seqs: 1 },
      { id: 'two.txt', n_seqs: 2 },
    ]);
    expect(rows(c.corpus)[0]).toEqual([BOS, ...ids('abcdefg')]);
    expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses what is not usable text, naming the file', async () => {
    const refusal = (files: { name: string; bytes: Uint8Array }[]) => {
      try {
        readerDocuments(files);
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal([])).toMatch(/No file was given/);
    expect(refusal([file('pic.png', Uint8Array.of(0x89, 0x50, 0xff, 0xfe))])).toMatch(/pic\.png is not UTF-8 text/);
    expect(refusal([file('z.bin', 'a\u0000b')])).toMatch(/z\.bin holds NUL characters/);
    expect(refusal([file('blank.txt', ' \n\t')])).toMatch(/blank\.txt is empty/);
    expect(refusal([{ name: 'huge.txt', bytes: new Uint8Array(MAX_READER_BYTES + 1) }])).toMatch(/huge\.txt is 64 MB; a corpus file may be at most 64 MB/);
    await expect(readerCorpus(bytes, readerDocuments([file('short.txt', 'abc')]), model)).rejects.toThrow(/short\.txt: too short for one sequence of 8 tokens/);
  });
});
