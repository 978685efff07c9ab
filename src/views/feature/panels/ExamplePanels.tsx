import { ContextStrip } from '../../../components/contextStrip/ContextStrip';
import { formatActivation, formatCount } from '../../../format/numbers';
import type { DashboardExampleGroup } from '../../../dashboardData/featureDashboard';
import { errorMessage } from '../../../errors/engineError';
import { exampleTokens } from '../exampleText';
import { featureScale, type PageDataWith } from '../featurePageData';

function ExampleRows({ group, data }: { group: DashboardExampleGroup; data: PageDataWith<'corpus'> }) {
  const corpus = data.corpus.tokens;
  if (group.examples.length === 0) return <p className="empty-note">No further sequences peak in this range.</p>;
  if (corpus.status === 'pending') {
    return (
      <div className="example-rows example-rows--loading" aria-busy="true">
        {group.examples.map((e) => (
          <div key={e.token} className="skeleton-line" />
        ))}
      </div>
    );
  }
  if (corpus.status === 'failed') {
    return <p className="inline-error" role="alert">The example texts cannot be shown: {errorMessage(corpus.error)}</p>;
  }
  const scale = featureScale(data);
  return (
    <div className="example-rows" data-testid="example-rows">
      {group.examples.map((e) => {
        const { tokens, values, peak, seq, pos } = exampleTokens(e, corpus.value, data.vocab);
        return (
          <ContextStrip
            key={e.token}
            tokens={tokens}
            values={values}
            peak={peak}
            scaleMax={scale}
            lead={formatActivation(values[peak] ?? 0)}
            source={`seq ${seq}:${pos}`}
          />
        );
      })}
    </div>
  );
}

/** The corpus sequences where the feature peaks highest. */
export function TopExamplesPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const top = data.corpus.dashboard.groups.find((g) => g.kind === 'top');
  if (!top) return <p className="empty-note">This feature never fires on the corpus, so there are no examples.</p>;
  return (
    <>
      <p className="panel-note">
        {top.examples.length} of the {formatCount(top.count)} sequences it fires in, strongest first; one example per sequence, centred on its peak
        token.
      </p>
      <ExampleRows group={top} data={data} />
    </>
  );
}

/** Samples of sequences whose peak falls in each band of the activation range. */
export function IntervalsPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const groups = data.corpus.dashboard.groups.filter((g) => g.kind === 'interval');
  if (groups.length === 0) return <p className="empty-note">This feature never fires on the corpus.</p>;
  const max = featureScale(data);
  return (
    <div className="interval-groups">
      {groups.map((g) => (
        <section key={g.lo} className="interval-group" data-testid="interval-group">
          <h3 className="interval-group__title">
            <span className="interval-group__range">
              {formatActivation(g.lo)} – {formatActivation(g.hi)}
            </span>
            <span className="interval-group__share">
              {max > 0 ? `${Math.round((g.lo / max) * 100)}–${Math.round((g.hi / max) * 100)}% of max` : ''} · {formatCount(g.count)} sequence
              {g.count === 1 ? '' : 's'}
            </span>
          </h3>
          <ExampleRows group={g} data={data} />
        </section>
      ))}
    </div>
  );
}
