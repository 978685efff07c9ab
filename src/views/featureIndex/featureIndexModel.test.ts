import { describe, expect, it } from 'vitest';
import type { DashboardsRoot, SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import { buildRows, densityHistogram, filterRows, readIndexQuery, sortRows } from './featureIndexModel';

const root = { corpus: { nTokens: 1000 }, vocab: ['<bos>', ' Lord', ' the', ' of', '\n'] } as unknown as DashboardsRoot;
const saeIndex = {
  sae: { dSae: 4 },
  features: {
    nActive: [10, 0, 500, 1],
    maxAct: [3, 0, 1.5, 9],
    label: ['“ Lord”', 'never fires on the corpus', '“ the” / “ of”', 'after “\n”'],
    topTokens: [1, -1, -1, -1, -1, -1, 2, 3, -1, 4, -1, -1],
  },
} as unknown as SaeDashboardIndex;

describe('feature index', () => {
  const rows = buildRows(saeIndex, root, [{ text: 'the word Lord', origin: 'imported' }, ...[1, 2, 3].map((i) => ({ text: saeIndex.features.label[i]!, origin: 'heuristic' as const }))]);

  it('lists every feature with its label, top tokens, density and whether it is dead', () => {
    expect(rows.map((r) => [r.index, r.label, r.topTokens, r.density, r.dead])).toEqual([
      [0, 'the word Lord', [' Lord'], 0.01, false],
      [1, 'never fires on the corpus', [], 0, true],
      [2, '“ the” / “ of”', [' the', ' of'], 0.5, false],
      [3, 'after “\n”', ['\n'], 0.001, false],
    ]);
  });

  it('finds features by label, by top token and by index', () => {
    expect(filterRows(rows, 'lord', 'all').map((r) => r.index)).toEqual([0]);
    expect(filterRows(rows, ' of', 'all').map((r) => r.index)).toEqual([2]);
    expect(filterRows(rows, '#3', 'all').map((r) => r.index)).toEqual([3]);
    expect(filterRows(rows, '', 'dead').map((r) => r.index)).toEqual([1]);
    expect(filterRows(rows, '', 'alive').map((r) => r.index)).toEqual([0, 2, 3]);
  });

  it('sorts by density either way and by max activation', () => {
    expect(sortRows(rows, 'density-desc').map((r) => r.index)).toEqual([2, 0, 3, 1]);
    expect(sortRows(rows, 'density-asc').map((r) => r.index)).toEqual([1, 3, 0, 2]);
    expect(sortRows(rows, 'max-desc').map((r) => r.index)).toEqual([3, 0, 2, 1]);
  });

  it('bins densities on a log scale and counts dead features apart', () => {
    const h = densityHistogram(rows, 6, -6, 0);
    expect(h.dead).toBe(1);
    expect(h.counts).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('the index’s search, sort and filter in its address', () => {
  it('reads what the address says, and the defaults for what it leaves out or gets wrong', () => {
    expect(readIndexQuery(new URLSearchParams('q=%2312&sort=density-asc&show=dead'))).toEqual({ query: '#12', sort: 'density-asc', show: 'dead' });
    expect(readIndexQuery(new URLSearchParams('sort=constructor&show=some'))).toEqual({ query: '', sort: 'index', show: 'all' });
  });
});
