import { Histogram } from '../../../components/histogram/Histogram';
import { activationColor } from '../../../components/tokens/activationColor';
import { displayToken } from '../../../components/tokens/tokenDisplay';
import { formatDensity } from '../../../format/numbers';
import { featureScale, type PageDataWith } from '../featurePageData';

/** How the feature's non-zero activations are distributed, and the tokens it fires on. */
export function ActivationPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const { dashboard: d, coverage } = data.corpus;
  const scale = featureScale(data);
  if (!d.actHistogram) {
    return <p className="empty-note">This feature never fires on the {coverage.nTokens.toLocaleString('en-US')} corpus tokens: it is dead.</p>;
  }
  return (
    <div className="activation-panel">
      <Histogram
        counts={d.actHistogram.counts}
        lo={d.actHistogram.lo}
        hi={d.actHistogram.hi}
        color={(v) => activationColor(v, scale).background}
        unit="tokens"
        xLabel="activation (where non-zero)"
        label="Histogram of the feature's non-zero activations"
      />
      {d.topTokens.length > 0 && (
        <div className="top-tokens" data-testid="top-tokens">
          <span className="top-tokens__title">Fires most on</span>
          <ul className="top-tokens__list">
            {d.topTokens.map((t) => (
              <li key={t.id} className="top-tokens__item" title={`${formatDensity(t.share)} of the feature's total activation`}>
                <code className="token-chip">{displayToken(data.vocab[t.id] ?? '').text}</code>
                <span className="top-tokens__share">{formatDensity(t.share)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
