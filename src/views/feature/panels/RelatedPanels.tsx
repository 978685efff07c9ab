import { FeatureList } from '../../../components/featureList/FeatureList';
import type { FeatureValue } from '../../../dashboardData/featureDashboard';
import { featureHref } from '../../matchRoute';
import type { FeaturePageData, PageDataWith } from '../featurePageData';

function related(data: FeaturePageData, items: FeatureValue[]) {
  const { labels, corpus } = data;
  return items.map((f) => ({
    index: f.index,
    value: f.value,
    label: labels?.[f.index]?.text,
    // Before a corpus pass nothing says which features are dead.
    dead: corpus?.features.nActive[f.index] === 0,
  }));
}

/** Features whose decoder directions point most nearly the same way. */
export function NeighboursPanel({ data }: { data: FeaturePageData }) {
  return (
    <FeatureList
      items={related(data, data.neighbours)}
      href={(i) => featureHref(data.sae.id, i)}
      valueName="cosine similarity"
      empty="This feature's decoder direction is zero."
      testId="neighbours"
    />
  );
}

/** Features whose activations rise and fall with this one's over the corpus. */
export function CorrelatedPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const { settings, dashboard } = data.corpus;
  return (
    <FeatureList
      items={related(data, dashboard.correlated)}
      href={(i) => featureHref(data.sae.id, i)}
      valueName="Pearson correlation"
      empty={
        dashboard.nActive === 0
          ? 'A dead feature correlates with nothing.'
          : settings.correlationStride === 0
            ? 'Correlations were not computed for this SAE (too many features).'
            : 'No feature fires together with this one.'
      }
      testId="correlated"
    />
  );
}
