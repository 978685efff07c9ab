/**
 * The cosine geometry a latent map is drawn in: each decoder row scaled to unit length (a latent is
 * its direction; its norm is the SAE's business), centred, and rotated onto its principal axes,
 * keeping at most 50. Between unit vectors the squared Euclidean distance is 2 − 2·cos, so
 * neighbours in this space are neighbours by decoder cosine, and t-SNE's affinities, computed on
 * 50 numbers instead of d_in, barely change (the usual practice: van der Maaten 2014).
 *
 * Rows that cannot be placed are refused with the row named: non-finite, all zeros, or so many
 * repeats of one direction that the map would be a pile.
 */
import { EngineError } from '../../errors/engineError';
import { symmetricEigen } from './symmetricEigen';

/** Rows in principal-axis coordinates, the axis of largest variance first. */
export interface Directions {
  n: number;
  dims: number;
  /** [n, dims] */
  coords: Float64Array;
}

export const MAX_PCA_DIMS = 50;
/** Fewer rows than this make no map (t-SNE needs neighbours to calibrate against). */
export const MIN_POINTS = 5;
/** Share of rows allowed to repeat another row's direction exactly. */
const MAX_DUPLICATE_SHARE = 0.1;

export function unitDirections(rows: Float32Array, n: number, d: number, what: string, maxDims = MAX_PCA_DIMS): Directions {
  if (n < MIN_POINTS) throw new EngineError(`${what} has ${n} rows: a map needs at least ${MIN_POINTS}.`, what);
  if (rows.length !== n * d) throw new EngineError(`${what} should hold ${n}×${d} numbers but holds ${rows.length}.`, what);
  const unit = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = rows[i * d + j]!;
      if (!Number.isFinite(v)) throw new EngineError(`Row ${i} of ${what} holds ${v}: every number must be finite. Is the file damaged?`, what);
      norm += v * v;
    }
    if (norm === 0) throw new EngineError(`Row ${i} of ${what} is all zeros: it has no direction to place on a map.`, what);
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) unit[i * d + j] = rows[i * d + j]! * scale;
  }
  refuseRepeats(unit, n, d, what);
  return principalAxes(unit, n, d, Math.min(maxDims, d));
}

function refuseRepeats(unit: Float64Array, n: number, d: number, what: string): void {
  // Sorted lexicographically, equal rows end up side by side.
  const compare = (a: number, b: number) => {
    for (let j = 0; j < d; j++) {
      const diff = unit[a * d + j]! - unit[b * d + j]!;
      if (diff !== 0) return diff;
    }
    return 0;
  };
  const sorted = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(a, b) || a - b);
  let repeats = 0;
  let example: [number, number] | null = null;
  for (let r = 1; r < n; r++) {
    if (compare(sorted[r - 1]!, sorted[r]!) !== 0) continue;
    repeats++;
    example ??= [sorted[r - 1]!, sorted[r]!];
  }
  if (example && (repeats > MAX_DUPLICATE_SHARE * n || n - repeats < MIN_POINTS)) {
    throw new EngineError(
      `${repeats} of the ${n} rows of ${what} repeat another row's direction (rows ${example[0]} and ${example[1]} are one): ` +
        `a map would pile them on one spot. Is this the right file?`,
      what,
    );
  }
}

/**
 * Centres the rows and projects them on the top `dims` eigenvectors of their covariance (d × d);
 * with fewer rows than dimensions (a text's tokens by their 2,048 codes), through the n × n Gram
 * matrix instead, which has the same non-zero spectrum and is far smaller.
 */
function principalAxes(x: Float64Array, n: number, d: number, dims: number): Directions {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j]! -= mean[j]!;
  return n < d ? gramAxes(x, n, d, Math.min(dims, n)) : covarianceAxes(x, n, d, dims);
}

/** PCA coordinates from the eigenvectors u_k of X·Xᵀ: row i's k-th coordinate is u_k[i]·√λ_k. */
function gramAxes(x: Float64Array, n: number, d: number, dims: number): Directions {
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[a * d + j]! * x[b * d + j]!;
      gram[a * n + b] = s;
      gram[b * n + a] = s;
    }
  }
  const { values, vectors, order } = symmetricEigen(gram, n);
  const coords = new Float64Array(n * dims);
  for (let k = 0; k < dims; k++) {
    const axis = order[k]!;
    const scale = Math.sqrt(Math.max(0, values[axis]!));
    for (let i = 0; i < n; i++) coords[i * dims + k] = vectors[i * n + axis]! * scale;
  }
  return { n, dims, coords };
}

function covarianceAxes(x: Float64Array, n: number, d: number, dims: number): Directions {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, (i + 1) * d);
    for (let a = 0; a < d; a++) {
      const va = row[a]!;
      if (va === 0) continue;
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b]! += va * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;

  const { vectors, order } = symmetricEigen(cov, d);
  const coords = new Float64Array(n * dims);
  for (let k = 0; k < dims; k++) {
    const axis = order[k]!;
    const column = Float64Array.from({ length: d }, (_, j) => vectors[j * d + axis]!);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * column[j]!;
      coords[i * dims + k] = s;
    }
  }
  return { n, dims, coords };
}
