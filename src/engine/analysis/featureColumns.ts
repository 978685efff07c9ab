/**
 * Every non-zero activation of every feature over a corpus, grouped by feature (compressed columns).
 * Built once from the token-major chunks the encoder produces, with one counting sort, so that each
 * per-feature statistic afterwards costs only that feature's own activations: the whole set of
 * statistics is O(non-zeros), never O(tokens × features) per feature.
 */
import type { SparseRows } from '../sae/sparseRows';

export interface FeatureColumns {
  dSae: number;
  /** tokens seen, active or not */
  nTokens: number;
  /** feature f's entries are [colStart[f], colStart[f + 1]) */
  colStart: Float64Array /* [dSae + 1] */;
  /** global token index (sequence · seq_len + position) of each entry, ascending within a column */
  tokens: Uint32Array /* [nnz] */;
  values: Float32Array /* [nnz] */;
}

/** Sparse rows of consecutive tokens starting at global token `firstToken`. */
export interface ColumnChunk {
  rows: SparseRows;
  firstToken: number;
}

/** Collects chunks in corpus order; `finish` sorts them into columns. */
export class FeatureColumnsBuilder {
  private readonly chunks: ColumnChunk[] = [];
  private nTokens = 0;

  constructor(readonly dSae: number) {}

  /** Adds a chunk whose first row is global token `firstToken`; chunks must come in corpus order. */
  add(rows: SparseRows, firstToken: number): void {
    if (firstToken < this.nTokens) {
      throw new RangeError(`FeatureColumnsBuilder: chunk at token ${firstToken} arrives after token ${this.nTokens}`);
    }
    this.chunks.push({ rows, firstToken });
    this.nTokens = firstToken + rows.nRows;
  }

  /** The chunks added so far, in order (to send to another thread), leaving the builder empty. */
  takeChunks(): ColumnChunk[] {
    const chunks = this.chunks.splice(0);
    return chunks;
  }

  finish(): FeatureColumns {
    const { dSae } = this;
    const counts = new Float64Array(dSae + 1);
    for (const { rows } of this.chunks) {
      const { features } = rows;
      for (let i = 0; i < features.length; i++) counts[features[i]! + 1]!++;
    }
    for (let f = 0; f < dSae; f++) counts[f + 1]! += counts[f]!;
    const colStart = counts;
    const nnz = colStart[dSae]!;
    const tokens = new Uint32Array(nnz);
    const values = new Float32Array(nnz);
    const next = colStart.slice(0, dSae);
    for (const { rows, firstToken } of this.chunks) {
      const { rowStart, features, values: vals } = rows;
      for (let r = 0; r < rows.nRows; r++) {
        const token = firstToken + r;
        for (let i = rowStart[r]!, end = rowStart[r + 1]!; i < end; i++) {
          const at = next[features[i]!]!++;
          tokens[at] = token;
          values[at] = vals[i]!;
        }
      }
    }
    this.chunks.length = 0;
    return { dSae, nTokens: this.nTokens, colStart, tokens, values };
  }
}
