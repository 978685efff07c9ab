/**
 * t-SNE's input affinities, sparse: each point's 3·perplexity nearest neighbours (exact, by blocks of
 * squared distances over all pairs — O(n²·dims), a few seconds at 12k points, and no approximation
 * to argue about), a Gaussian per point whose width a binary search sets so that its entropy is
 * log(perplexity), then P = (P + Pᵀ) / 2n (van der Maaten 2014, as scikit-learn does).
 */
import { EngineError } from '../../errors/engineError';
import type { Directions } from './directions';

/** P in compressed sparse rows: row i's entries are cols/values[rowStart[i] … rowStart[i+1]). */
export interface SparseAffinities {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** Neighbours per point: scikit-learn's min(n − 1, ⌊3·perplexity + 1⌋). */
export function neighbourCount(n: number, perplexity: number): number {
  return Math.min(n - 1, Math.floor(3 * perplexity + 1));
}

export function checkPerplexity(n: number, perplexity: number, what: string): void {
  if (!(perplexity > 0) || !Number.isFinite(perplexity)) throw new EngineError(`The perplexity must be a positive number (got ${perplexity}).`, what);
  if (perplexity >= n) {
    throw new EngineError(`A perplexity of ${perplexity} needs more than ${perplexity} points, but ${what} has ${n}: choose a perplexity below ${n}.`, what);
  }
}

/**
 * Called between slices of long work: lets the event loop run (a worker hears a cancel, a ping) and
 * throws once the work is cancelled. See tsne.ts.
 */
export type Pause = () => Promise<void>;

/** Rows of the kNN scan between two calls of `pause`: ~10 ms at 12k points × 50 dimensions. */
const ROWS_PER_PAUSE = 16;

/** [n, k] indices and squared distances of each point's k nearest others, nearest first. */
export async function nearestNeighbours(points: Directions, k: number, pause?: Pause): Promise<{ indices: Int32Array; dist2: Float64Array }> {
  const { n, dims, coords } = points;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += coords[i * dims + j]! ** 2;
    norms[i] = s;
  }
  // Max-heaps of size k per point, filled from both ends of each pair (distances are symmetric).
  const heapIdx = new Int32Array(n * k);
  const heapD = new Float64Array(n * k).fill(Infinity);
  const push = (i: number, j: number, d: number) => {
    const base = i * k;
    if (d >= heapD[base]!) return;
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= k) break;
      const right = left + 1;
      const child = right < k && heapD[base + right]! > heapD[base + left]! ? right : left;
      if (heapD[base + child]! <= d) break;
      heapD[base + pos] = heapD[base + child]!;
      heapIdx[base + pos] = heapIdx[base + child]!;
      pos = child;
    }
    heapD[base + pos] = d;
    heapIdx[base + pos] = j;
  };
  for (let i = 0; i < n; i++) {
    if (pause && i % ROWS_PER_PAUSE === 0) await pause();
    const offI = i * dims;
    for (let j = i + 1; j < n; j++) {
      const offJ = j * dims;
      let dot = 0;
      for (let t = 0; t < dims; t++) dot += coords[offI + t]! * coords[offJ + t]!;
      const d = Math.max(0, norms[i]! + norms[j]! - 2 * dot);
      push(i, j, d);
      push(j, i, d);
    }
  }
  // Heaps to sorted rows.
  const indices = new Int32Array(n * k);
  const dist2 = new Float64Array(n * k);
  const order = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) order[t] = t;
    order.sort((a, b) => heapD[base + a]! - heapD[base + b]! || heapIdx[base + a]! - heapIdx[base + b]!);
    for (let t = 0; t < k; t++) {
      indices[base + t] = heapIdx[base + order[t]!]!;
      dist2[base + t] = heapD[base + order[t]!]!;
    }
  }
  return { indices, dist2 };
}

const SEARCH_STEPS = 100;
const ENTROPY_TOLERANCE = 1e-5;

/** Each point's conditional P(j | i) over its neighbours, with the Gaussian's precision found by bisection. */
export function conditionalAffinities(dist2: Float64Array, n: number, k: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let step = 0; step < SEARCH_STEPS; step++) {
      let sum = 0;
      for (let t = 0; t < k; t++) {
        const w = Math.exp(-dist2[base + t]! * beta);
        p[base + t] = w;
        sum += w;
      }
      if (sum === 0) sum = 1e-300;
      let weighted = 0;
      for (let t = 0; t < k; t++) weighted += dist2[base + t]! * p[base + t]!;
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let t = 0; t < k; t++) p[base + t]! /= sum;
      const gap = entropy - target;
      if (Math.abs(gap) <= ENTROPY_TOLERANCE) break;
      if (gap > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  return p;
}

/** The symmetric joint P = (P + Pᵀ) / 2n from the kNN conditionals, in CSR. */
export function symmetrise(indices: Int32Array, conditional: Float64Array, n: number, k: number): SparseAffinities {
  // Who lists j among its neighbours: the transpose of the kNN graph, by counting.
  const reverseStart = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) reverseStart[indices[e]! + 1]!++;
  for (let j = 0; j < n; j++) reverseStart[j + 1]! += reverseStart[j]!;
  const reverseEntry = new Int32Array(n * k);
  const fill = reverseStart.slice(0, n);
  for (let e = 0; e < n * k; e++) reverseEntry[fill[indices[e]!]!++] = e;

  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(2 * n * k);
  const values = new Float64Array(2 * n * k);
  const slot = new Int32Array(n).fill(-1);
  let at = 0;
  const add = (j: number, v: number) => {
    const s = slot[j]!;
    if (s >= 0) values[s]! += v;
    else {
      slot[j] = at;
      cols[at] = j;
      values[at++] = v;
    }
  };
  for (let i = 0; i < n; i++) {
    for (let e = i * k; e < (i + 1) * k; e++) add(indices[e]!, conditional[e]!);
    for (let r = reverseStart[i]!; r < reverseStart[i + 1]!; r++) {
      const e = reverseEntry[r]!;
      add((e / k) | 0, conditional[e]!);
    }
    for (let e = rowStart[i]!; e < at; e++) slot[cols[e]!] = -1;
    rowStart[i + 1] = at;
  }
  // Every conditional row sums to 1, so P sums to 2n.
  let total = 0;
  for (let e = 0; e < at; e++) total += values[e]!;
  const joint = values.slice(0, at);
  for (let e = 0; e < at; e++) joint[e]! /= total;
  return { n, rowStart, cols: cols.slice(0, at), values: joint };
}

export async function sparseAffinities(points: Directions, perplexity: number, pause?: Pause): Promise<SparseAffinities> {
  const k = neighbourCount(points.n, perplexity);
  const { indices, dist2 } = await nearestNeighbours(points, k, pause);
  await pause?.();
  return symmetrise(indices, conditionalAffinities(dist2, points.n, k, perplexity), points.n, k);
}
