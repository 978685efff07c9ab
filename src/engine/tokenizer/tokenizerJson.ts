/**
 * Reads a Hugging Face `tokenizer.json` into what the byte-level BPE tokenizer needs, refusing
 * (with the reason) any configuration it would silently get wrong: another model type, another
 * pre-tokenizer, a normalizer, subword prefixes.
 */
import { EngineError } from '../types';
import type { AddedToken } from './addedTokens';
import type { Merge } from './bpe';

export interface TokenizerSpec {
  vocab: Map<string, number>;
  merges: Merge[];
  addedTokens: AddedToken[];
  /** ByteLevel `add_prefix_space`: a space is put before text that does not start with one */
  addPrefixSpace: boolean;
  /** ByteLevel `use_regex`: split with GPT-2's pattern (false: each text segment is one word) */
  useRegex: boolean;
  ignoreMerges: boolean;
  /** id used for symbols missing from the vocabulary; null means such a symbol is an error */
  unkId: number | null;
}

type Json = Record<string, unknown>;

const SUPPORTED = 'SAE Explorer reads byte-level BPE tokenizers (GPT-2 style) only';

export function parseTokenizerJson(json: unknown, source = 'tokenizer.json'): TokenizerSpec {
  const fail = (what: string): never => {
    throw new EngineError(`${source}: ${what}`, source);
  };
  if (!isObject(json)) fail('is not a JSON object — is this a Hugging Face tokenizer.json?');
  const root = json as Json;
  const model = root.model;
  if (!isObject(model)) fail('has no "model" object — is this a Hugging Face tokenizer.json?');
  const m = model as Json;
  if (m.type !== undefined && m.type !== 'BPE') fail(`model.type is ${str(m.type)}; ${SUPPORTED}.`);
  if (root.normalizer !== null && root.normalizer !== undefined) {
    fail(`has a normalizer (${describeType(root.normalizer)}); ${SUPPORTED}, which use none.`);
  }
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix'] as const) {
    if (m[key] !== null && m[key] !== undefined && m[key] !== '') {
      fail(`model.${key} is ${str(m[key])}; ${SUPPORTED}, which use none.`);
    }
  }
  if (m.byte_fallback === true) fail(`model.byte_fallback is true; ${SUPPORTED}.`);
  if (m.dropout !== null && m.dropout !== undefined && m.dropout !== 0) {
    fail(`model.dropout is ${str(m.dropout)}: BPE dropout makes tokenization random; set it to null.`);
  }

  const vocab = readVocab(m.vocab, fail);
  const merges = readMerges(m.merges, fail);
  for (const [i, [a, b]] of merges.entries()) {
    if (!vocab.has(a + b)) fail(`merge #${i} ("${a} ${b}") makes "${a + b}", which is not in model.vocab.`);
  }
  const addedTokens = readAddedTokens(root.added_tokens, fail);
  const { addPrefixSpace, useRegex } = readPreTokenizer(root.pre_tokenizer, fail);

  let unkId: number | null = null;
  if (typeof m.unk_token === 'string') {
    unkId = vocab.get(m.unk_token) ?? fail(`model.unk_token "${m.unk_token}" is not in model.vocab.`);
  }
  return { vocab, merges, addedTokens, addPrefixSpace, useRegex, ignoreMerges: m.ignore_merges === true, unkId };
}

function readVocab(raw: unknown, fail: (what: string) => never): Map<string, number> {
  if (!isObject(raw)) fail('model.vocab must be an object mapping token strings to ids.');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw as Json)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      fail(`model.vocab["${token}"] is ${str(id)}, not a non-negative integer id.`);
    }
    vocab.set(token, id as number);
  }
  return vocab;
}

/** Merges come as "a b" strings (older files, GPT-2) or as [a, b] pairs (tokenizers ≥ 0.20). */
function readMerges(raw: unknown, fail: (what: string) => never): Merge[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('model.merges must be a list.');
  return (raw as unknown[]).map((entry, i): Merge => {
    if (typeof entry === 'string') {
      const parts = entry.split(' ');
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        fail(`model.merges[${i}] is "${entry}"; a merge string holds two symbols separated by one space.`);
      }
      return [parts[0]!, parts[1]!];
    }
    if (Array.isArray(entry) && entry.length === 2 && entry.every((s) => typeof s === 'string')) {
      return [entry[0] as string, entry[1] as string];
    }
    return fail(`model.merges[${i}] is ${str(entry)}; expected "a b" or ["a", "b"].`);
  });
}

function readAddedTokens(raw: unknown, fail: (what: string) => never): AddedToken[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail('added_tokens must be a list.');
  return (raw as unknown[]).map((entry, i) => {
    if (!isObject(entry)) fail(`added_tokens[${i}] is not an object.`);
    const t = entry as Json;
    if (typeof t.content !== 'string' || typeof t.id !== 'number' || !Number.isInteger(t.id)) {
      fail(`added_tokens[${i}] needs a string "content" and an integer "id".`);
    }
    return {
      id: t.id as number,
      content: t.content as string,
      singleWord: t.single_word === true,
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      special: t.special === true,
    };
  });
}

function readPreTokenizer(
  raw: unknown,
  fail: (what: string) => never,
): { addPrefixSpace: boolean; useRegex: boolean } {
  // A Sequence holding just a ByteLevel step is the same thing, written longhand.
  let pre = raw;
  if (isObject(pre) && (pre as Json).type === 'Sequence') {
    const steps = (pre as Json).pretokenizers;
    if (!Array.isArray(steps) || steps.length !== 1) {
      fail(`pre_tokenizer is a Sequence of ${Array.isArray(steps) ? steps.length : '?'} steps; ${SUPPORTED} (one ByteLevel step).`);
    }
    pre = (steps as unknown[])[0];
  }
  if (!isObject(pre) || (pre as Json).type !== 'ByteLevel') {
    fail(`pre_tokenizer is ${describeType(pre)}; ${SUPPORTED} (pre_tokenizer ByteLevel).`);
  }
  const p = pre as Json;
  return { addPrefixSpace: p.add_prefix_space === true, useRegex: p.use_regex !== false };
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeType(v: unknown): string {
  if (isObject(v) && typeof (v as Json).type === 'string') return String((v as Json).type);
  return v === null || v === undefined ? 'missing' : str(v);
}

function str(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
