/**
 * What the reader does with a feature's examples: filter them by the token they peak on, sort them,
 * and page through them. Pure, so tested in Node; the panels only arrange it.
 */
import type { Corpus } from '../../dashboardData/corpus';
import type { DashboardExample } from '../../dashboardData/featureDashboard';

export type ExampleSort = 'activation' | 'token' | 'position';

export const EXAMPLE_SORTS: Record<ExampleSort, string> = {
  activation: 'Strongest first',
  token: 'Peak token, A–Z',
  position: 'Place in the corpus',
};

/** Examples shown at first, and added by each "show more". */
export const EXAMPLE_PAGE = 10;

/** The example's activation at its peak. */
function peakValue(e: DashboardExample): number {
  return Math.abs(e.values[e.token - e.start] ?? 0);
}

/** A token's text as a reader types it when filtering: no leading space, any case. */
function normalise(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * The examples whose peak token contains `query` (all when it is blank), in `sort` order; the
 * activation order is the stored one (strongest first), kept for ties.
 */
export function browseExamples(
  examples: readonly DashboardExample[],
  corpus: Corpus,
  vocab: readonly string[],
  query: string,
  sort: ExampleSort,
): DashboardExample[] {
  const q = normalise(query);
  const tokenOf = (e: DashboardExample) => vocab[corpus.ids[e.token]!] ?? '';
  const kept = q === '' ? examples.slice() : examples.filter((e) => normalise(tokenOf(e)).includes(q));
  if (sort === 'token') return kept.sort((a, b) => normalise(tokenOf(a)).localeCompare(normalise(tokenOf(b))) || peakValue(b) - peakValue(a));
  if (sort === 'position') return kept.sort((a, b) => a.token - b.token);
  return kept.sort((a, b) => peakValue(b) - peakValue(a));
}

/** The whole sequence an example comes from (BOS left out), and where its stored window lies in it. */
export function exampleSequence(example: DashboardExample, corpus: Corpus, vocab: readonly string[]) {
  const seq = Math.floor(example.token / corpus.seqLen);
  const first = seq * corpus.seqLen + 1;
  const ids = corpus.ids.subarray(first, (seq + 1) * corpus.seqLen);
  const values: (number | null)[] = Array.from(ids, (_, i) => {
    const at = first + i - example.start;
    return at >= 0 && at < example.values.length ? example.values[at]! : null;
  });
  return { seq, tokens: Array.from(ids, (id) => vocab[id] ?? `⟨${id}⟩`), values, peak: example.token - first };
}
