import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors/engineError';
import { seededRandom } from '../analysis/random';
import { conditionalAffinities, nearestNeighbours, sparseAffinities } from './affinities';
import { unitDirections } from './directions';
import { tsneOfDirections, type TsneProgress } from './tsne';

/** `clusters` groups of `size` directions in `d` dims, each a tight cone around its own axis. */
function clusteredRows(clusters: number, size: number, d: number, spread: number, seed = 7): { rows: Float32Array; label: number[] } {
  const random = seededRandom(seed);
  const n = clusters * size;
  const rows = new Float32Array(n * d);
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / size);
    label.push(c);
    for (let j = 0; j < d; j++) rows[i * d + j] = (random() - 0.5) * spread + (j === c ? 1 : 0);
  }
  return { rows, label };
}

function nearestInLayout(xy: Float32Array, i: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let j = 0; j < xy.length / 2; j++) {
    if (j === i) continue;
    const d = (xy[2 * i]! - xy[2 * j]!) ** 2 + (xy[2 * i + 1]! - xy[2 * j + 1]!) ** 2;
    if (d < bestD) [best, bestD] = [j, d];
  }
  return best;
}

const quick = { perplexity: 10, iterations: 400 };

describe('t-SNE of decoder directions', () => {
  it('keeps well-separated clusters of directions apart on the map', async () => {
    const { rows, label } = clusteredRows(5, 40, 24, 0.3);
    const { xy, kl } = await tsneOfDirections(rows, 200, 24, 'test rows', quick);
    let same = 0;
    for (let i = 0; i < 200; i++) if (label[nearestInLayout(xy, i)] === label[i]) same++;
    expect(same).toBe(200);
    expect(kl).toBeGreaterThan(0);
    expect(kl).toBeLessThan(2);
  });

  it('gives the same map for the same seed and a different one for another seed', async () => {
    const { rows } = clusteredRows(3, 30, 16, 0.8);
    const a = await tsneOfDirections(rows, 90, 16, 'rows', { ...quick, iterations: 100, seed: 1 });
    const b = await tsneOfDirections(rows, 90, 16, 'rows', { ...quick, iterations: 100, seed: 1 });
    const c = await tsneOfDirections(rows, 90, 16, 'rows', { ...quick, iterations: 100, seed: 2 });
    expect(Array.from(b.xy)).toEqual(Array.from(a.xy));
    expect(Array.from(c.xy)).not.toEqual(Array.from(a.xy));
  });

  it('depends on directions only, not on the rows’ norms', async () => {
    const { rows } = clusteredRows(3, 20, 8, 0.8);
    // Powers of two scale exactly, so the directions are bit for bit the same.
    const scaled = rows.map((v, k) => v * 2 ** (Math.floor(k / 8) % 5));
    const a = await tsneOfDirections(rows, 60, 8, 'rows', { ...quick, iterations: 50 });
    const b = await tsneOfDirections(scaled, 60, 8, 'rows', { ...quick, iterations: 50 });
    expect(Array.from(b.xy)).toEqual(Array.from(a.xy));
  });

  it('streams intermediate layouts and its progress, then the final one', async () => {
    const { rows } = clusteredRows(2, 30, 8, 0.5);
    const events: TsneProgress[] = [];
    const { xy } = await tsneOfDirections(rows, 60, 8, 'rows', { ...quick, iterations: 20 }, { onProgress: (p) => events.push(p), sliceMs: 0, layoutEvery: 0 });
    expect(events[0]).toMatchObject({ stage: 'affinities', iteration: 0, total: 20 });
    const layouts = events.filter((e) => e.xy);
    expect(layouts.length).toBeGreaterThan(10);
    expect(layouts.every((e) => e.xy!.length === 120)).toBe(true);
    expect(events.at(-1)).toMatchObject({ stage: 'layout', iteration: 20, total: 20 });
    const iterations = events.map((e) => e.iteration);
    expect(iterations).toEqual([...iterations].sort((x, y) => x - y));
    expect(xy.length).toBe(120);
  });

  it('pauses while it is still finding neighbours, so a cancel is heard then', async () => {
    const { rows } = clusteredRows(4, 100, 16, 0.5);
    const points = unitDirections(rows, 400, 16, 'rows');
    let pauses = 0;
    const stopAtThird = async () => {
      if (++pauses === 3) throw new EngineError('The map was cancelled.', undefined, 'cancelled');
    };
    await expect(nearestNeighbours(points, 31, stopAtThird)).rejects.toMatchObject({ code: 'cancelled' });
    expect(pauses).toBe(3);
  });

  it('stops with a cancelled error when its signal is aborted', async () => {
    const { rows } = clusteredRows(2, 30, 8, 0.5);
    const controller = new AbortController();
    const run = tsneOfDirections(rows, 60, 8, 'rows', { ...quick, iterations: 5000 }, {
      signal: controller.signal,
      sliceMs: 0,
      onProgress: (p) => p.iteration >= 10 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('refusing rows a map cannot be made of', () => {
  const refusal = async (rows: Float32Array, n: number, d: number, settings = {}) => {
    const err = await tsneOfDirections(rows, n, d, 'W_dec of "mine"', settings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    return (err as EngineError).message;
  };

  it('too few rows', async () => {
    expect(await refusal(new Float32Array([1, 0, 0, 1, 1, 1]), 3, 2, { perplexity: 1 })).toBe('W_dec of "mine" has 3 rows: a map needs at least 5.');
  });

  it('a row that is not finite, or all zeros, named by its index', async () => {
    const { rows } = clusteredRows(2, 10, 4, 0.5);
    const nan = rows.slice();
    nan[4 * 7 + 2] = NaN;
    expect(await refusal(nan, 20, 4, { perplexity: 5 })).toMatch(/^Row 7 of W_dec of "mine" holds NaN/);
    const zero = rows.slice();
    zero.fill(0, 4 * 3, 4 * 4);
    expect(await refusal(zero, 20, 4, { perplexity: 5 })).toMatch(/^Row 3 of W_dec of "mine" is all zeros/);
  });

  it('many rows repeating one direction, with two of them named', async () => {
    const { rows } = clusteredRows(2, 10, 4, 0.5);
    for (let i = 10; i < 20; i++) rows.set(rows.subarray(0, 4).map((v) => v * 2), i * 4);
    expect(await refusal(rows, 20, 4, { perplexity: 5 })).toMatch(/^10 of the 20 rows .* repeat another row's direction \(rows 0 and 1\d are one\)/);
  });

  it('a perplexity at or above the number of rows', async () => {
    const { rows } = clusteredRows(2, 10, 4, 0.5);
    expect(await refusal(rows, 20, 4, { perplexity: 20 })).toBe('A perplexity of 20 needs more than 20 points, but W_dec of "mine" has 20: choose a perplexity below 20.');
    expect(await refusal(rows, 20, 4, { perplexity: 0 })).toMatch(/positive number/);
  });

  it('places a few exact duplicates (dead latents often are) without refusing', async () => {
    const { rows } = clusteredRows(2, 20, 6, 0.5);
    rows.set(rows.subarray(0, 6), 6);
    const { xy } = await tsneOfDirections(rows, 40, 6, 'rows', { perplexity: 5, iterations: 100 });
    expect(xy.every(Number.isFinite)).toBe(true);
  });
});

describe('affinities', () => {
  it('calibrates each point’s Gaussian to the perplexity and makes a symmetric P that sums to 1', async () => {
    const { rows } = clusteredRows(3, 30, 12, 0.6);
    const points = unitDirections(rows, 90, 12, 'rows');
    const k = 31;
    const { indices, dist2 } = await nearestNeighbours(points, k);
    for (let i = 0; i < 90; i++) for (let t = 1; t < k; t++) expect(dist2[i * k + t]).toBeGreaterThanOrEqual(dist2[i * k + t - 1]!);
    expect(indices[0]).not.toBe(0);
    const conditional = conditionalAffinities(dist2, 90, k, 10);
    for (let i = 0; i < 90; i++) {
      let entropy = 0;
      for (let t = 0; t < k; t++) {
        const p = conditional[i * k + t]!;
        if (p > 0) entropy -= p * Math.log(p);
      }
      expect(Math.exp(entropy)).toBeCloseTo(10, 2);
    }
    const P = await sparseAffinities(points, 10);
    const entry = new Map<string, number>();
    for (let i = 0; i < 90; i++) for (let e = P.rowStart[i]!; e < P.rowStart[i + 1]!; e++) entry.set(`${i},${P.cols[e]}`, P.values[e]!);
    for (const [key, v] of entry) {
      const [i, j] = key.split(',');
      expect(entry.get(`${j},${i}`)).toBeCloseTo(v, 12);
    }
    expect(P.values.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
  });
});

describe('fewer rows than dimensions (a text’s tokens by their codes)', () => {
  it('gives the same PCA distances through the Gram matrix as the rows themselves', () => {
    const { rows } = clusteredRows(3, 4, 40, 0.5);
    const points = unitDirections(rows, 12, 40, 'codes');
    expect(points.dims).toBe(12);
    const unit = (i: number) => {
      const r = rows.subarray(i * 40, (i + 1) * 40);
      const norm = Math.hypot(...r);
      return Array.from(r, (v) => v / norm);
    };
    for (const [a, b] of [[0, 1], [0, 5], [3, 11]] as const) {
      const direct = unit(a).reduce((s, v, j) => s + (v - unit(b)[j]!) ** 2, 0);
      let viaPca = 0;
      for (let k = 0; k < 12; k++) viaPca += (points.coords[a * 12 + k]! - points.coords[b * 12 + k]!) ** 2;
      expect(viaPca).toBeCloseTo(direct, 8);
    }
  });
});
