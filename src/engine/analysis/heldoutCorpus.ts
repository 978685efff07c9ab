/**
 * The held-out corpus that corpus panels, live evaluation and the precompute run over, from one of
 * three places:
 * - the bundle's token windows (data/heldout.u16), for the model the bundle was built with;
 * - held-out text re-tokenised (a bundle's data/heldout.jsonl), for a model of another tokenizer —
 *   GPT-2 opened from Hugging Face files has no corpus of its own, so it borrows the shipped bundle's;
 * - plain text the reader gave, each file a document.
 *
 * Text is cut into windows as the training pipeline cuts data/heldout.u16
 * (models/train/heldout_text.py): per source, every document followed by BOS, whole windows of
 * seq_len − 1 tokens after a BOS; with the bundle's own tokenizer the two agree token for token.
 */
import { type Corpus, readCorpus, sha256Hex } from '../../dashboardData/corpus';
import { EngineError, errorMessage } from '../../errors/engineError';
import { Bundle } from '../bundle/bundle';
import type { Tokenizer } from '../tokenizer/tokenizer';

export interface CorpusDocument {
  source: string;
  text: string;
}

/** What the reader is told of the corpus in use. */
export interface CorpusInfo {
  /** 'bundle': the bundle's token windows; 'text': a bundle's held-out text re-tokenised; 'reader': text the reader gave */
  origin: 'bundle' | 'text' | 'reader';
  /** "explorer-4l" (the bundle whose text it is), or the reader's file names */
  name: string;
  nSeqs: number;
  seqLen: number;
  sources: { id: string; n_seqs: number }[];
}

export interface HeldoutCorpus {
  info: CorpusInfo;
  corpus: Corpus;
  /** hex SHA-256 of the windows' bytes (the token file's, for the bundle's own) */
  sha256: string;
  /** what the dashboards name as their corpus: the token file, or the text it was cut from */
  path: string;
}

/** A reader's text gives at most this many windows (the pipeline's own cap per source). */
export const MAX_READER_SEQS = 4096;
/** Longer files are refused before they are decoded: the windows would use a sliver of them. */
export const MAX_READER_BYTES = 64 * 1024 * 1024;
const DEFAULT_SEQ_LEN = 128;

/** The documents of a held-out text file: one JSON object `{source, text}` per line. */
export function parseCorpusDocuments(jsonl: string, file: string): CorpusDocument[] {
  const docs: CorpusDocument[] = [];
  for (const [i, line] of jsonl.split('\n').entries()) {
    if (!line.trim()) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (err) {
      throw new EngineError(`${file}, line ${i + 1}: not JSON (${errorMessage(err)}).`, file);
    }
    const { source, text } = (doc ?? {}) as Partial<CorpusDocument>;
    if (typeof source !== 'string' || typeof text !== 'string') throw new EngineError(`${file}, line ${i + 1}: expected {"source": …, "text": …}.`, file);
    docs.push({ source, text });
  }
  return docs;
}

/**
 * The windows of `docs`, source after source in the order they first appear; `maxSeqs` caps the
 * total, and tokenising stops once it is reached.
 */
export function windowsOfDocuments(
  tokenizer: Tokenizer,
  docs: readonly CorpusDocument[],
  { seqLen, bos, maxSeqs = Infinity }: { seqLen: number; bos: number; maxSeqs?: number },
): { corpus: Corpus; sources: CorpusInfo['sources'] } {
  if (tokenizer.vocabSize > 65536) throw new EngineError(`A vocabulary of ${tokenizer.vocabSize} tokens does not fit the corpus's uint16 ids.`, undefined);
  const step = seqLen - 1;
  const bySource = new Map<string, CorpusDocument[]>();
  for (const doc of docs) {
    const texts = bySource.get(doc.source);
    if (texts) texts.push(doc);
    else bySource.set(doc.source, [doc]);
  }
  const windows: number[][] = [];
  const sources: CorpusInfo['sources'] = [];
  for (const [id, texts] of bySource) {
    const room = maxSeqs - windows.length;
    if (room <= 0) break;
    // One token past the last whole window is enough: the pipeline also needs len − 1 ≥ n · step.
    const wanted = room === Infinity ? Infinity : room * step + 1;
    const stream: number[] = [];
    for (const { text } of texts) {
      if (stream.length >= wanted) break;
      for (const t of tokenizer.encode(text, { maxTokens: wanted - stream.length })) stream.push(t);
      stream.push(bos);
    }
    const n = Math.min(room, Math.max(0, Math.floor((stream.length - 1) / step)));
    for (let w = 0; w < n; w++) windows.push([bos, ...stream.slice(w * step, (w + 1) * step)]);
    if (n > 0) sources.push({ id, n_seqs: n });
  }
  const ids = new Uint16Array(windows.length * seqLen);
  windows.forEach((w, i) => ids.set(w, i * seqLen));
  return { corpus: { ids, nSeqs: windows.length, seqLen }, sources };
}

/**
 * The reader's files as documents, one each: UTF-8 text, not empty, not over MAX_READER_BYTES.
 * Every refusal names the file.
 */
export function readerDocuments(files: readonly { name: string; bytes: Uint8Array }[]): CorpusDocument[] {
  if (files.length === 0) throw new EngineError('No file was given: drop or pick one or more plain-text (.txt) files.', undefined);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  return files.map(({ name, bytes }) => {
    if (bytes.byteLength > MAX_READER_BYTES) {
      throw new EngineError(`${name} is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MB; a corpus file may be at most ${MAX_READER_BYTES / 2 ** 20} MB (only the first ${MAX_READER_SEQS} sequences are used anyway): give a part of it.`, name);
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new EngineError(`${name} is not UTF-8 text: give a plain-text file (.txt).`, name);
    }
    if (text.includes('\u0000')) throw new EngineError(`${name} holds NUL characters: it looks like a binary file, not plain text.`, name);
    if (!text.trim()) throw new EngineError(`${name} is empty.`, name);
    return { source: name, text };
  });
}

/** The reader's documents as a corpus for this model; refuses text too short for one window. */
export async function readerCorpus(tokenizer: Tokenizer, docs: readonly CorpusDocument[], model: { n_ctx: number; bos_token_id: number }): Promise<HeldoutCorpus> {
  const seqLen = Math.min(DEFAULT_SEQ_LEN, model.n_ctx);
  const { corpus, sources } = windowsOfDocuments(tokenizer, docs, { seqLen, bos: model.bos_token_id, maxSeqs: MAX_READER_SEQS });
  const names = docs.map((d) => d.source).join(', ');
  if (corpus.nSeqs === 0) {
    throw new EngineError(`${names}: too short for one sequence of ${seqLen} tokens, which each file must fill at least once. Give more text.`, names);
  }
  return textCorpus(corpus, sources, 'reader', names, names);
}

/**
 * The held-out corpus of the opened bundle: its token windows where it has them, else the held-out
 * text of the bundle at `fallbackUrl` re-tokenised with this model's tokenizer.
 */
export async function bundleCorpus(bundle: Bundle, tokenizer: Tokenizer, fallbackUrl?: string): Promise<HeldoutCorpus> {
  const { manifest } = bundle;
  const heldout = manifest.data?.heldout;
  if (heldout) {
    const bytes = await bundle.bytes(heldout.path);
    const corpus = readCorpus(bytes, { nSeqs: heldout.n_seqs, seqLen: heldout.seq_len, dVocab: manifest.model.d_vocab }, heldout.path);
    const sources = heldout.sources ?? [{ id: heldout.path, n_seqs: heldout.n_seqs }];
    return { info: { origin: 'bundle', name: manifest.name, nSeqs: corpus.nSeqs, seqLen: corpus.seqLen, sources }, corpus, sha256: await sha256Hex(bytes), path: heldout.path };
  }
  if (fallbackUrl === undefined) {
    throw new EngineError(
      `${manifest.name} has no held-out corpus (manifest.json, data.heldout): give one of your own, a plain-text file.`,
      'manifest.json',
      'not-found',
    );
  }
  const lender = await Bundle.open(fallbackUrl);
  const text = lender.manifest.data?.heldout?.text;
  if (!text) {
    throw new EngineError(`${lender.baseUrl} names no held-out text (data.heldout.text) to re-tokenise: give a corpus of your own, a plain-text file.`, 'manifest.json', 'not-found');
  }
  const docs = parseCorpusDocuments(await lender.text(text, () => {}), text);
  const seqLen = Math.min(lender.manifest.data!.heldout!.seq_len, manifest.model.n_ctx);
  const { corpus, sources } = windowsOfDocuments(tokenizer, docs, { seqLen, bos: manifest.model.bos_token_id });
  return textCorpus(corpus, sources, 'text', lender.manifest.name, lender.url(text));
}

async function textCorpus(corpus: Corpus, sources: CorpusInfo['sources'], origin: CorpusInfo['origin'], name: string, path: string): Promise<HeldoutCorpus> {
  const bytes = new Uint8Array(corpus.ids.buffer, corpus.ids.byteOffset, corpus.ids.byteLength);
  return { info: { origin, name, nSeqs: corpus.nSeqs, seqLen: corpus.seqLen, sources }, corpus, sha256: await sha256Hex(bytes), path };
}
