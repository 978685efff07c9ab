/**
 * The head statistics the heads views draw: the bundle's attention SAEs' (precomputed, fetched
 * without the model) and those of the reader's own attention SAEs whose corpus panels were
 * computed in this browser.
 */
import { useState } from 'react';
import type { Corpus } from '../../dashboardData/corpus';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import type { HeadStats } from '../../dashboardData/headStats';
import { usePromise } from '../../hooks/usePromise';
import { useComputedDashboards } from '../../state/computedDashboards';
import { useLoadStore } from '../../state/loadStore';
import { request } from '../../state/session';

export interface HeadStatsEntry {
  saeId: string;
  title: string;
  source: 'bundle' | 'user';
  stats: HeadStats;
  /** one feature's dashboard (its examples) */
  dashboard(index: number): Promise<FeatureDashboard>;
  /** the token ids the examples point into, and the text of every token id */
  corpus(): Promise<{ corpus: Corpus; vocab: readonly string[] }>;
}

export interface HeadStatsEntries {
  entries: HeadStatsEntry[];
  /** the bundle's statistics are on their way */
  pending: boolean;
  /** why the bundle's statistics cannot be shown, and how to try again */
  error: unknown;
  retry(): void;
  /** the reader's attention SAEs with no corpus statistics yet */
  uncomputed: { saeId: string; title: string }[];
}

export function useHeadStatsEntries(): HeadStatsEntries {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const saes = useLoadStore((s) => s.saes);
  const userSaes = saes.filter((x) => x.source === 'user' && x.kind === 'attn');
  const computed = useComputedDashboards((s) => s.computed);
  const shown = useComputedDashboards((s) => s.shown);
  const [attempt, setAttempt] = useState(0);
  const source = dashboardSourceFor(bundleUrl);
  const bundled = usePromise(async () => {
    const root = await source.root();
    const heads = await Promise.all(root.saes.map((s) => source.head(s.id)));
    return Promise.all(
      heads
        .filter((h) => h.heads !== undefined)
        .map(async (h): Promise<HeadStatsEntry> => ({
          saeId: h.sae.id,
          title: h.sae.title,
          source: 'bundle',
          stats: await source.headStats(h.sae.id),
          dashboard: (index) => source.feature(h.sae.id, index),
          corpus: async () => ({ corpus: await source.corpus(), vocab: root.vocab }),
        })),
    );
  }, [source, attempt]);

  const user: HeadStatsEntry[] = [];
  const uncomputed: HeadStatsEntries['uncomputed'] = [];
  for (const sae of userSaes) {
    const nSeqs = shown[sae.id];
    const info = nSeqs !== undefined ? computed[sae.id]?.[nSeqs] : undefined;
    if (info?.heads) {
      user.push({
        saeId: sae.id,
        title: sae.title,
        source: 'user',
        stats: info.heads,
        dashboard: (index) => request('corpusFeature', { saeId: sae.id, nSeqs: info.nSeqs, index }),
        corpus: () => Promise.resolve({ corpus: info.corpus, vocab: info.root.vocab }),
      });
    } else {
      uncomputed.push({ saeId: sae.id, title: sae.title });
    }
  }
  return {
    entries: [...(bundled.status === 'ready' ? bundled.value.sort((a, b) => a.stats.layer - b.stats.layer) : []), ...user],
    pending: bundled.status === 'pending',
    error: bundled.status === 'failed' ? bundled.error : null,
    retry: () => setAttempt((a) => a + 1),
    uncomputed,
  };
}
