import type { Corpus } from '../../dashboardData/corpus';
import type { DashboardsRoot, SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import type { ResolvedLabel } from './labels';
import type { Async } from '../../hooks/usePromise';

/** Everything a feature page's panels draw from. */
export interface FeaturePageData {
  saeId: string;
  index: number;
  root: DashboardsRoot;
  saeIndex: SaeDashboardIndex;
  dashboard: FeatureDashboard;
  /** the corpus the examples point into; only the example panels wait for it */
  corpus: Async<Corpus>;
  /** every feature's label (for neighbours and correlated features), null while loading */
  labels: ResolvedLabel[] | null;
  /** the text "test your text" starts from where there is no corpus example (a live dashboard: the prompt's text) */
  startText?: string;
}

/** |activation| drawn at full colour on this feature's page. */
export function featureScale(d: Pick<FeatureDashboard, 'maxAct' | 'minAct'>): number {
  return Math.max(Math.abs(d.maxAct), Math.abs(d.minAct));
}
