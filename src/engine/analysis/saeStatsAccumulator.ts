/**
 * The corpus pass for one SAE: hook activations in, chunk by chunk; encoded on the ONNX runtime
 * straight into compressed rows (no dense [tokens, d_sae] block on the way), and folded into the feature columns and the co-activation sums. Chunks hold whole
 * sequences, and each sequence's position 0 (BOS) is left out: its activations say nothing about
 * text, and in a TopK SAE they would crowd every dashboard.
 *
 * A pass can be split over parts of the corpus (e.g. one per thread): each part's accumulator
 * hands over a `PartialStats`, and one accumulator adds them up in corpus order.
 */
import type { SaeCodec } from '../sae/saeCodec';
import { CoactivationAccumulator, type CoactivationState, correlationStride, MAX_CORRELATION_FEATURES } from './coactivation';
import { type ColumnChunk, type FeatureColumns, FeatureColumnsBuilder } from './featureColumns';
import { clearEveryNthRow, type SparseRows } from '../sae/sparseRows';

export interface AccumulatedStats {
  columns: FeatureColumns;
  /** null when the SAE is too wide for pair sums (MAX_CORRELATION_FEATURES) */
  coactivation: CoactivationAccumulator | null;
}

/** What one part of a corpus pass collected for one SAE; its arrays can be transferred between threads. */
export interface PartialStats {
  chunks: ColumnChunk[];
  coactivation: CoactivationState | null;
  /** the correlation stride the part used (null: no correlations, or nothing seen yet) */
  correlationStride: number | null;
}

export class SaeStatsAccumulator {
  private readonly columns: FeatureColumnsBuilder;
  private coactivation: CoactivationAccumulator | null = null;
  private stride: number | null;

  /**
   * `correlationStride`: take correlations over every n-th token; by default it is chosen from how
   * many features the first chunk has active (parts of one pass must all use the same stride).
   */
  constructor(
    private readonly encoder: Pick<SaeCodec, 'encodeSparse'> | null,
    readonly dSae: number,
    readonly seqLen: number,
    correlationStride?: number,
  ) {
    this.columns = new FeatureColumnsBuilder(dSae);
    this.stride = dSae > MAX_CORRELATION_FEATURES ? null : (correlationStride ?? null);
    if (this.stride !== null) this.coactivation = new CoactivationAccumulator(dSae, this.stride, seqLen);
  }

  /** The stride in use, once known; null where correlations are not computed. */
  get correlationStride(): number | null {
    return this.stride;
  }

  /** `hookActs` [nTokens, d_in] for whole sequences starting at global token `firstToken`. */
  async add(hookActs: Float32Array, nTokens: number, firstToken: number): Promise<void> {
    if (!this.encoder) throw new Error('SaeStatsAccumulator: this accumulator only merges parts; it has no encoder');
    this.addRows(await this.encoder.encodeSparse(hookActs, nTokens), firstToken);
  }

  /** The same, from feature activations already encoded, as compressed rows (they are modified). */
  addRows(encoded: SparseRows, firstToken: number): void {
    const { dSae, seqLen } = this;
    const nTokens = encoded.nRows;
    if (firstToken % seqLen !== 0 || nTokens % seqLen !== 0) {
      throw new RangeError(`SaeStatsAccumulator: chunks must hold whole sequences of ${seqLen} tokens`);
    }
    const rows = clearEveryNthRow(encoded, seqLen);
    if (this.coactivation === null && this.stride === null && dSae <= MAX_CORRELATION_FEATURES) {
      const textTokens = nTokens - nTokens / seqLen;
      this.stride = correlationStride(rows.features.length / Math.max(1, textTokens));
      this.coactivation = new CoactivationAccumulator(dSae, this.stride, seqLen);
    }
    this.columns.add(rows, firstToken);
    this.coactivation?.add(rows, firstToken);
  }

  /** Hands over what was collected (to another thread); this accumulator is empty afterwards. */
  takePartial(): PartialStats {
    const coactivation = this.coactivation?.state() ?? null;
    this.coactivation = this.stride === null ? null : new CoactivationAccumulator(this.dSae, this.stride, this.seqLen);
    return { chunks: this.columns.takeChunks(), coactivation, correlationStride: this.stride };
  }

  /** Adds a part collected elsewhere; parts must come in corpus order, after what this one holds. */
  addPartial(part: PartialStats): void {
    for (const chunk of part.chunks) this.columns.add(chunk.rows, chunk.firstToken);
    if (part.coactivation === null) return;
    if (this.stride === null && part.correlationStride !== null && this.dSae <= MAX_CORRELATION_FEATURES) {
      this.stride = part.correlationStride;
      this.coactivation = new CoactivationAccumulator(this.dSae, this.stride, this.seqLen);
    }
    if (part.correlationStride !== this.stride) {
      throw new RangeError(`SaeStatsAccumulator: a part used correlation stride ${part.correlationStride}, this pass ${this.stride}`);
    }
    this.coactivation!.merge(part.coactivation);
  }

  finish(): AccumulatedStats {
    return { columns: this.columns.finish(), coactivation: this.coactivation };
  }
}

/** Every ArrayBuffer a part holds, for postMessage's transfer list. */
export function partialBuffers(part: PartialStats): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const { rows } of part.chunks) out.push(rows.rowStart.buffer as ArrayBuffer, rows.features.buffer as ArrayBuffer, rows.values.buffer as ArrayBuffer);
  if (part.coactivation) {
    const c = part.coactivation;
    out.push(c.sum.buffer as ArrayBuffer, c.sumSq.buffer as ArrayBuffer, c.pairs.buffer as ArrayBuffer);
  }
  return out;
}
