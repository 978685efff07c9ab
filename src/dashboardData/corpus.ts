/**
 * The held-out corpus the dashboards are computed over and refer into (data/heldout.u16 in the
 * bundle: n_seqs × seq_len little-endian uint16 token ids, each sequence starting with BOS).
 */
import { EngineError } from '../errors/engineError';

export interface Corpus {
  ids: Uint16Array /* [nSeqs · seqLen] */;
  nSeqs: number;
  seqLen: number;
}

export function readCorpus(bytes: Uint8Array, shape: { nSeqs: number; seqLen: number; dVocab: number }, source: string): Corpus {
  const { nSeqs, seqLen, dVocab } = shape;
  const expected = nSeqs * seqLen * 2;
  if (bytes.byteLength !== expected) {
    throw new EngineError(
      `${source} holds ${bytes.byteLength} bytes, but ${nSeqs} sequences of ${seqLen} uint16 tokens need ${expected}. ` +
        'Is the bundle complete (or the file from another build)?',
      source,
    );
  }
  const ids = new Uint16Array(nSeqs * seqLen);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < ids.length; i++) {
    const id = view.getUint16(2 * i, true);
    if (id >= dVocab) {
      throw new EngineError(`${source}: token ${i} has id ${id}, outside the model's vocabulary of ${dVocab}.`, source);
    }
    ids[i] = id;
  }
  return { ids, nSeqs, seqLen };
}

/** Sequence `s` as a plain list (what the model runner takes). */
export function sequence(corpus: Corpus, s: number): number[] {
  return Array.from(corpus.ids.subarray(s * corpus.seqLen, (s + 1) * corpus.seqLen));
}

/** Hex SHA-256 of some bytes (WebCrypto: Node, and browsers in a secure context). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
