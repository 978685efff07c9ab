/**
 * What colours a latent map's points. Continuous values (density, max activation) go through
 * viridis, perceptually even and readable by colour-blind readers; categories (clusters, SAEs,
 * heads) through Tableau 10, whose hues stay distinct for the common colour-vision deficiencies.
 */
import { interpolateViridis, rgb, schemeTableau10 } from 'd3';
import { packColor } from '../../components/scatter/scatterRaster';

/** Colour for points with no value (a dead latent's density). */
export const NO_VALUE = packColor(200, 200, 200);

function pack(css: string): number {
  const c = rgb(css);
  return packColor(c.r, c.g, c.b);
}

/**
 * Values through viridis between their min and max; `log` spreads values over decades (densities
 * span 1e-6…1e-1). Non-finite values (and ≤ 0 under `log`) get NO_VALUE.
 */
export function continuousColors(values: ArrayLike<number>, log: boolean): Uint32Array {
  const t = Array.from(values, (v) => (log ? (v > 0 ? Math.log10(v) : NaN) : v));
  const finite = t.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return Uint32Array.from(t, (v) => (Number.isFinite(v) ? pack(interpolateViridis(hi > lo ? (v - lo) / (hi - lo) : 0.5)) : NO_VALUE));
}

/** One Tableau 10 colour per category (they repeat past ten); a negative category gets NO_VALUE. */
export function categoryColors(categories: ArrayLike<number>): Uint32Array {
  const palette = schemeTableau10.map(pack);
  return Uint32Array.from(categories as ArrayLike<number>, (c) => (c >= 0 ? palette[c % palette.length]! : NO_VALUE));
}

export function categoryCss(category: number): string {
  return schemeTableau10[category % schemeTableau10.length]!;
}

/**
 * k-means of the layout's 2-D points, seeded by farthest-first traversal from point 0 (no random
 * draws, so the same map always gets the same clusters), numbered largest first.
 */
export function layoutClusters(xy: Float32Array, k: number): Int32Array {
  const n = xy.length / 2;
  const assignment = new Int32Array(n);
  if (n === 0) return assignment;
  k = Math.min(k, n);
  const centres = new Float64Array(2 * k);
  const nearestD = new Float64Array(n).fill(Infinity);
  let pick = 0;
  for (let c = 0; c < k; c++) {
    centres[2 * c] = xy[2 * pick]!;
    centres[2 * c + 1] = xy[2 * pick + 1]!;
    let farthest = 0;
    for (let i = 0; i < n; i++) {
      const d = (xy[2 * i]! - centres[2 * c]!) ** 2 + (xy[2 * i + 1]! - centres[2 * c + 1]!) ** 2;
      if (d < nearestD[i]!) nearestD[i] = d;
      if (nearestD[i]! > farthest) [farthest, pick] = [nearestD[i]!, i];
    }
  }
  const sums = new Float64Array(2 * k);
  const counts = new Int32Array(k);
  for (let round = 0; round < 30; round++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xy[2 * i]! - centres[2 * c]!) ** 2 + (xy[2 * i + 1]! - centres[2 * c + 1]!) ** 2;
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (assignment[i] !== best || round === 0) moved = true;
      assignment[i] = best;
    }
    if (!moved) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      sums[2 * c]! += xy[2 * i]!;
      sums[2 * c + 1]! += xy[2 * i + 1]!;
      counts[c]!++;
    }
    for (let c = 0; c < k; c++) if (counts[c]! > 0) [centres[2 * c], centres[2 * c + 1]] = [sums[2 * c]! / counts[c]!, sums[2 * c + 1]! / counts[c]!];
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[assignment[i]!]!++;
  const bySize = Array.from({ length: k }, (_, c) => c).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const rank = new Int32Array(k);
  bySize.forEach((c, r) => (rank[c] = r));
  return assignment.map((c) => rank[c]!);
}

/** Each latent's strongest head by share (rows of [n, nHeads]); −1 where every share is 0. */
export function argmaxRows(shares: Float32Array, nHeads: number): Int32Array {
  const n = shares.length / nHeads;
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let h = 0; h < nHeads; h++) if (shares[i * nHeads + h]! > best) [best, out[i]] = [shares[i * nHeads + h]!, h];
  }
  return out;
}
