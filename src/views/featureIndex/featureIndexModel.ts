/**
 * The feature index's rows and what the reader does with them: search by label, top token or
 * index, sort by density or activation, show live or dead features. Pure, so tested in Node.
 */
import type { DashboardsRoot, SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import type { ResolvedLabel } from '../../state/labels';

export interface FeatureRowData {
  index: number;
  label: string;
  labelOrigin: ResolvedLabel['origin'];
  /** texts of the tokens it fires on most */
  topTokens: string[];
  /** fraction of corpus tokens where it fires */
  density: number;
  /** the activation of largest magnitude */
  maxAct: number;
  dead: boolean;
}

export type SortKey = 'index' | 'density-desc' | 'density-asc' | 'max-desc';
export type ShowFilter = 'all' | 'alive' | 'dead';

export const SORT_NAMES: Record<SortKey, string> = {
  index: 'Index',
  'density-desc': 'Density, highest first',
  'density-asc': 'Density, lowest first',
  'max-desc': 'Max activation, highest first',
};

/** The reader's search, sort and filter, from the index's address (`q=`, `sort=`, `show=`); what is missing or unknown is the default. */
export function readIndexQuery(address: URLSearchParams): { query: string; sort: SortKey; show: ShowFilter } {
  const sort = address.get('sort');
  const show = address.get('show');
  return {
    query: address.get('q') ?? '',
    sort: sort !== null && Object.hasOwn(SORT_NAMES, sort) ? (sort as SortKey) : 'index',
    show: show === 'alive' || show === 'dead' ? show : 'all',
  };
}

export function buildRows(saeIndex: SaeDashboardIndex, root: DashboardsRoot, labels: readonly ResolvedLabel[] | null): FeatureRowData[] {
  const { features } = saeIndex;
  const n = saeIndex.sae.dSae;
  const rows: FeatureRowData[] = [];
  for (let i = 0; i < n; i++) {
    const nActive = features.nActive[i]!;
    const tokens: string[] = [];
    for (let j = 0; j < 3; j++) {
      const id = features.topTokens[i * 3 + j]!;
      if (id >= 0) tokens.push(root.vocab[id] ?? `⟨${id}⟩`);
    }
    const label = labels?.[i] ?? { text: features.label[i]!, origin: 'heuristic' as const };
    rows.push({
      index: i,
      label: label.text,
      labelOrigin: label.origin,
      topTokens: tokens,
      density: nActive / root.corpus.nTokens,
      maxAct: features.maxAct[i]!,
      dead: nActive === 0,
    });
  }
  return rows;
}

/** Rows matching the search and the live/dead filter. */
export function filterRows(rows: readonly FeatureRowData[], query: string, show: ShowFilter): FeatureRowData[] {
  const q = query.trim().toLowerCase();
  const asIndex = /^#?\d+$/.test(q) ? Number(q.replace('#', '')) : null;
  return rows.filter((r) => {
    if (show === 'alive' && r.dead) return false;
    if (show === 'dead' && !r.dead) return false;
    if (q === '') return true;
    if (asIndex !== null && r.index === asIndex) return true;
    if (r.label.toLowerCase().includes(q)) return true;
    return r.topTokens.some((t) => t.toLowerCase().trim() === q.trim() || t.toLowerCase().includes(q));
  });
}

export function sortRows(rows: readonly FeatureRowData[], key: SortKey): FeatureRowData[] {
  const out = rows.slice();
  const byIndex = (a: FeatureRowData, b: FeatureRowData) => a.index - b.index;
  switch (key) {
    case 'index':
      return out.sort(byIndex);
    case 'density-desc':
      return out.sort((a, b) => b.density - a.density || byIndex(a, b));
    case 'density-asc':
      return out.sort((a, b) => a.density - b.density || byIndex(a, b));
    case 'max-desc':
      return out.sort((a, b) => Math.abs(b.maxAct) - Math.abs(a.maxAct) || byIndex(a, b));
  }
}

export interface DensityHistogram {
  /** log10(density) range */
  lo: number;
  hi: number;
  counts: number[];
  dead: number;
}

/** How many features have each density, on a log10 scale (the classic SAE health plot); dead ones apart. */
export function densityHistogram(rows: readonly FeatureRowData[], bins = 30, lo = -6, hi = 0): DensityHistogram {
  const counts = new Array<number>(bins).fill(0);
  let dead = 0;
  for (const r of rows) {
    if (r.dead) {
      dead++;
      continue;
    }
    const x = Math.log10(r.density);
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)));
    counts[b]!++;
  }
  return { lo, hi, counts, dead };
}
