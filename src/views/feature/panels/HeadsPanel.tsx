import { HeadBars, type HeadBarSeries } from '../../../components/headBars/HeadBars';
import type { PageDataWith } from '../featurePageData';
import { headHref } from '../../matchRoute';

/** Which heads an attention SAE's feature reads: by its encoder weights, and at its top activations. */
export function HeadsPanel({ data }: { data: PageDataWith<'heads'> }) {
  const { heads, sae } = data;
  const series: HeadBarSeries[] = [{ name: 'Encoder weights', values: heads.weight, format: 'share' }];
  if (heads.corpus && heads.examples > 0) series.push({ name: `Top ${heads.examples} activations`, values: heads.corpus, format: 'share' });
  const user = data.live !== undefined;
  return (
    <div data-testid="heads-panel">
      <HeadBars
        layer={heads.layer}
        series={series}
        headHref={(h) => headHref(heads.layer, h, user ? sae.id : undefined)}
        label={`Heads of block ${heads.layer} that write feature ${data.index}`}
      />
      {!heads.corpus && <p className="muted">Compute the corpus panels to see each head's share at the feature's top activations.</p>}
      {heads.corpus && heads.examples === 0 && <p className="muted">The feature never fires on the corpus: only its weights say which heads it reads.</p>}
    </div>
  );
}
