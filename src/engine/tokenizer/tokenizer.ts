/**
 * Byte-level BPE tokenizer (GPT-2 style) read from a Hugging Face `tokenizer.json`:
 * added tokens → GPT-2 split → UTF-8 bytes as characters → BPE → ids. Decoding reverses it.
 */
import { EngineError } from '../types';
import { AddedTokenMatcher, type AddedToken } from './addedTokens';
import { Bpe } from './bpe';
import { fromByteChars, toByteChars } from './byteLevel';
import { splitGpt2 } from './pretokenize';
import { parseTokenizerJson, type TokenizerSpec } from './tokenizerJson';

/** Words repeat a lot in text; remembering their BPE saves most of the work. */
const WORD_CACHE_LIMIT = 50_000;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8');

export interface EncodeOptions {
  /** stop once this many ids are produced (the result then holds exactly this many) */
  maxTokens?: number;
}

export class Tokenizer {
  private readonly bpe: Bpe;
  private readonly added: AddedTokenMatcher;
  private readonly idToToken = new Map<number, string>();
  private readonly addedById = new Map<number, AddedToken>();
  private readonly wordCache = new Map<string, readonly number[]>();

  /** Parses a `tokenizer.json` (already JSON-decoded); `source` names the file in errors. */
  static fromJson(json: unknown, source = 'tokenizer.json'): Tokenizer {
    return new Tokenizer(parseTokenizerJson(json, source), source);
  }

  private constructor(
    private readonly spec: TokenizerSpec,
    private readonly source: string,
  ) {
    this.bpe = new Bpe(spec.vocab, spec.merges, { ignoreMerges: spec.ignoreMerges });
    this.added = new AddedTokenMatcher(spec.addedTokens);
    for (const [token, id] of spec.vocab) this.idToToken.set(id, token);
    for (const t of spec.addedTokens) {
      this.addedById.set(t.id, t);
      this.idToToken.set(t.id, t.content);
    }
  }

  /** One more than the largest id (vocabulary and added tokens together). */
  get vocabSize(): number {
    let max = -1;
    for (const id of this.idToToken.keys()) max = Math.max(max, id);
    return max + 1;
  }

  /** The id of a vocabulary string or added token, e.g. "<|endoftext|>". */
  tokenToId(token: string): number | undefined {
    return this.added.idOf(token) ?? this.spec.vocab.get(token);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const max = options.maxTokens ?? Infinity;
    const ids: number[] = [];
    for (const segment of this.added.split(text)) {
      if (ids.length >= max) break;
      if ('added' in segment) {
        ids.push(segment.added.id);
        continue;
      }
      for (const word of this.words(segment.text)) {
        for (const id of this.encodeWord(word)) {
          if (ids.length >= max) break;
          ids.push(id);
        }
        if (ids.length >= max) break;
      }
    }
    return ids;
  }

  /** Text of a sequence of ids; bytes that are not valid UTF-8 become U+FFFD, as in `tokenizers`. */
  decode(ids: readonly number[]): string {
    let out = '';
    let pending: number[] = [];
    const flush = () => {
      if (pending.length) out += utf8Lossy.decode(Uint8Array.from(pending));
      pending = [];
    };
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added) {
        flush();
        out += added.content;
        continue;
      }
      for (const b of this.bytesOf(id)) pending.push(b);
    }
    flush();
    return out;
  }

  /**
   * How one token reads on its own, for display. A token holding part of a multi-byte character
   * (emoji are often split over several) shows the bytes it holds, e.g. "\xF0\x9F", rather than
   * a replacement character that would hide which part it is.
   */
  /** Whether `id` is a special token (e.g. "<|endoftext|>"): a marker the model reads, not text. */
  isSpecial(id: number): boolean {
    return this.addedById.get(id)?.special === true;
  }

  tokenText(id: number): string {
    const added = this.addedById.get(id);
    if (added) return added.content;
    const bytes = this.bytesOf(id);
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return showBytes(bytes);
    }
  }

  private bytesOf(id: number): Uint8Array {
    const token = this.idToToken.get(id);
    if (token === undefined) {
      throw new EngineError(`Token id ${id} is not in the vocabulary of ${this.source}.`, this.source);
    }
    const bytes = fromByteChars(token);
    if (!bytes) {
      throw new EngineError(
        `Vocabulary entry ${id} ("${token}") in ${this.source} is not a byte-level token.`,
        this.source,
      );
    }
    return bytes;
  }

  private words(text: string): string[] {
    let t = text;
    if (this.spec.addPrefixSpace && !t.startsWith(' ')) t = ' ' + t;
    return this.spec.useRegex ? splitGpt2(t) : t ? [t] : [];
  }

  private encodeWord(word: string): readonly number[] {
    const hit = this.wordCache.get(word);
    if (hit) return hit;
    const ids = this.bpe.split(toByteChars(word)).map((symbol) => {
      const id = this.spec.vocab.get(symbol) ?? this.spec.unkId;
      if (id === null) {
        throw new EngineError(
          `${this.source} has no vocabulary entry for "${symbol}" and no unk_token; ` +
            'a byte-level vocabulary must hold all 256 byte characters.',
          this.source,
        );
      }
      return id;
    });
    if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(word, ids);
    return ids;
  }
}

function showBytes(bytes: Uint8Array): string {
  // Valid characters stay readable; only the broken stretches turn into \xNN.
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8Length(bytes, i);
    if (len > 0) {
      out += utf8Strict.decode(bytes.subarray(i, i + len));
      i += len;
    } else {
      out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** Length of the valid UTF-8 character starting at `i`, or 0 if none starts there. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
  if (len === 0 || i + len > bytes.length) return 0;
  try {
    utf8Strict.decode(bytes.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}
