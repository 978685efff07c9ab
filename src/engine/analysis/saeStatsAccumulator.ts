/**
 * The corpus pass for one SAE: hook activations in, chunk by chunk; encoded on the ONNX runtime,
 * made sparse, and folded into the feature columns and the co-activation sums. Chunks hold whole
 * sequences, and each sequence's position 0 (BOS) is left out: its activations say nothing about
 * text, and in a TopK SAE they would crowd every dashboard.
 */
import type { SaeEncoder } from '../sae/saeEncoder';
import { CoactivationAccumulator, correlationStride, MAX_CORRELATION_FEATURES } from './coactivation';
import { type FeatureColumns, FeatureColumnsBuilder } from './featureColumns';
import { sparsifyRows } from './sparseRows';

export interface AccumulatedStats {
  columns: FeatureColumns;
  /** null when the SAE is too wide for pair sums (MAX_CORRELATION_FEATURES) */
  coactivation: CoactivationAccumulator | null;
}

export class SaeStatsAccumulator {
  private readonly columns: FeatureColumnsBuilder;
  private coactivation: CoactivationAccumulator | null = null;
  private started = false;

  constructor(
    private readonly encoder: Pick<SaeEncoder, 'encode'>,
    readonly dSae: number,
    readonly seqLen: number,
  ) {
    this.columns = new FeatureColumnsBuilder(dSae);
  }

  /** `hookActs` [nTokens, d_in] for whole sequences starting at global token `firstToken`. */
  async add(hookActs: Float32Array, nTokens: number, firstToken: number): Promise<void> {
    const acts = await this.encoder.encode(hookActs, nTokens);
    this.addFeatureActs(acts, nTokens, firstToken);
  }

  /** The same, from feature activations [nTokens, d_sae] already computed (they are modified). */
  addFeatureActs(acts: Float32Array, nTokens: number, firstToken: number): void {
    const { dSae, seqLen } = this;
    if (firstToken % seqLen !== 0 || nTokens % seqLen !== 0) {
      throw new RangeError(`SaeStatsAccumulator: chunks must hold whole sequences of ${seqLen} tokens`);
    }
    for (let r = 0; r < nTokens; r += seqLen) acts.fill(0, r * dSae, (r + 1) * dSae);
    const rows = sparsifyRows(acts, nTokens, dSae);
    if (!this.started) {
      this.started = true;
      if (dSae <= MAX_CORRELATION_FEATURES) {
        const textTokens = nTokens - nTokens / seqLen;
        this.coactivation = new CoactivationAccumulator(dSae, correlationStride(rows.features.length / Math.max(1, textTokens)), seqLen);
      }
    }
    this.columns.add(rows, firstToken);
    this.coactivation?.add(rows, firstToken);
  }

  finish(): AccumulatedStats {
    return { columns: this.columns.finish(), coactivation: this.coactivation };
  }
}
