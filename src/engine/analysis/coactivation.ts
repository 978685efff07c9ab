/**
 * Which features fire together: the Pearson correlation of every pair of features' activations
 * over the corpus (zeros included), from sums that only co-active pairs touch. A token with n
 * active features costs n(n−1)/2 updates, so a TopK SAE with k = 32 costs ~500 per token instead
 * of the d_sae² / 2 ≈ 2M of a dense Gram matrix.
 *
 * Dense SAEs (hundreds of active features per token) would make that quadratic term dominate, so
 * the sums may be taken over every `tokenStride`-th token; the chosen stride is recorded with the
 * dashboards.
 */
import type { SparseRows } from '../sae/sparseRows';
import { TopK } from './topK';

/** Pair sums are f64 [d_sae, d_sae]: 512 MB at this width, the most we allow. */
export const MAX_CORRELATION_FEATURES = 8192;

/** Pair updates per sampled token the stride aims for (≈ 45 co-active features). */
const PAIR_BUDGET_PER_TOKEN = 1024;

/** The stride that keeps a dense SAE's pair updates near the budget, from its mean active count. */
export function correlationStride(meanActivePerToken: number): number {
  const pairs = (meanActivePerToken * (meanActivePerToken - 1)) / 2;
  return Math.max(1, Math.ceil(pairs / PAIR_BUDGET_PER_TOKEN));
}

export interface CoactivationState {
  n: number;
  sum: Float64Array;
  sumSq: Float64Array;
  pairs: Float64Array;
}

export interface CorrelatedFeatures {
  k: number;
  /** [d_sae, k] feature indices, −1 where fewer than k features correlate positively */
  indices: Int32Array;
  /** [d_sae, k] Pearson r */
  values: Float32Array;
}

export class CoactivationAccumulator {
  private readonly pairs: Float64Array /* [d_sae, d_sae], upper triangle */;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  private n = 0;

  constructor(
    readonly dSae: number,
    readonly tokenStride = 1,
    /** when given, each sequence's position 0 (BOS) is left out */
    readonly seqLen = 0,
  ) {
    if (dSae > MAX_CORRELATION_FEATURES) {
      throw new RangeError(`Feature correlations need d_sae ≤ ${MAX_CORRELATION_FEATURES}; this SAE has ${dSae}.`);
    }
    this.pairs = new Float64Array(dSae * dSae);
    this.sum = new Float64Array(dSae);
    this.sumSq = new Float64Array(dSae);
  }

  /** Adds the rows of a chunk whose first row is global token `firstToken`. */
  add(rows: SparseRows, firstToken: number): void {
    const { pairs, sum, sumSq, dSae, tokenStride, seqLen } = this;
    const { rowStart, features, values } = rows;
    const offset = (tokenStride - (firstToken % tokenStride)) % tokenStride;
    for (let r = offset; r < rows.nRows; r += tokenStride) {
      if (seqLen > 0 && (firstToken + r) % seqLen === 0) continue;
      this.n++;
      const end = rowStart[r + 1]!;
      for (let a = rowStart[r]!; a < end; a++) {
        const fa = features[a]!;
        const va = values[a]!;
        sum[fa]! += va;
        sumSq[fa]! += va * va;
        // Features are ascending within a row, so (fa, fb) is always in the upper triangle.
        const base = fa * dSae;
        for (let b = a + 1; b < end; b++) pairs[base + features[b]!]! += va * values[b]!;
      }
    }
  }

  /** Tokens the sums cover. */
  get sampledTokens(): number {
    return this.n;
  }

  /** The sums, to send to another thread and merge there (the arrays are shared, not copied). */
  state(): CoactivationState {
    return { n: this.n, sum: this.sum, sumSq: this.sumSq, pairs: this.pairs };
  }

  /** Adds sums taken over other tokens with the same stride (another part of the corpus). */
  merge(other: CoactivationState): void {
    if (other.pairs.length !== this.pairs.length) throw new RangeError('CoactivationAccumulator.merge: the SAEs differ in width');
    this.n += other.n;
    for (let i = 0; i < this.sum.length; i++) {
      this.sum[i]! += other.sum[i]!;
      this.sumSq[i]! += other.sumSq[i]!;
    }
    for (let i = 0; i < this.pairs.length; i++) this.pairs[i]! += other.pairs[i]!;
  }

  /** For every feature, the k others whose activations correlate most (r > 0), strongest first. */
  topCorrelated(k: number): CorrelatedFeatures {
    const { dSae, pairs, n } = this;
    const mean = new Float64Array(dSae);
    const std = new Float64Array(dSae);
    for (let f = 0; f < dSae; f++) {
      mean[f] = n > 0 ? this.sum[f]! / n : 0;
      const variance = n > 0 ? this.sumSq[f]! / n - mean[f]! * mean[f]! : 0;
      std[f] = variance > 0 ? Math.sqrt(variance) : 0;
    }
    const indices = new Int32Array(dSae * k).fill(-1);
    const values = new Float32Array(dSae * k);
    const top = new TopK(k);
    for (let i = 0; i < dSae; i++) {
      if (std[i] === 0) continue;
      top.clear();
      for (let j = 0; j < dSae; j++) {
        if (j === i || std[j] === 0) continue;
        const p = i < j ? pairs[i * dSae + j]! : pairs[j * dSae + i]!;
        if (p === 0) continue;
        const r = (p / n - mean[i]! * mean[j]!) / (std[i]! * std[j]!);
        if (r > 0) top.push(r, j);
      }
      for (let e = 0; e < top.size; e++) {
        indices[i * k + e] = top.ids[e]!;
        values[i * k + e] = Math.min(1, top.values[e]!);
      }
    }
    return { k, indices, values };
  }
}
