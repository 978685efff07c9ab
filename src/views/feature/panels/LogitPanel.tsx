import { Histogram } from '../../../components/histogram/Histogram';
import { activationColor } from '../../../components/tokens/activationColor';
import { displayToken } from '../../../components/tokens/tokenDisplay';
import type { TokenValue } from '../../../dashboardData/featureDashboard';
import { formatSigned } from '../../../format/numbers';
import type { FeaturePageData } from '../featurePageData';

function TokenColumn({ title, items, vocab, scale, testId }: { title: string; items: TokenValue[]; vocab: readonly string[]; scale: number; testId: string }) {
  return (
    <div className="logit-column">
      <h3 className="logit-column__title">{title}</h3>
      <ol className="logit-list" data-testid={testId}>
        {items.map((t) => (
          <li key={t.id} className="logit-list__item">
            <code className="logit-list__token" style={{ background: activationColor(t.value, scale).background, color: activationColor(t.value, scale).text }}>
              {displayToken(vocab[t.id] ?? '').text}
            </code>
            <span className="logit-list__value">{formatSigned(t.value)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The tokens whose logits the feature's decoder direction raises and lowers most, and the spread over all. */
export function LogitPanel({ data }: { data: FeaturePageData }) {
  const { positive, negative, histogram } = data.logits;
  const { vocab } = data;
  const scale = Math.max(Math.abs(histogram.lo), Math.abs(histogram.hi));
  return (
    <div className="logit-panel">
      <div className="logit-columns">
        <TokenColumn title="Promotes" items={positive} vocab={vocab} scale={scale} testId="logits-positive" />
        <TokenColumn title="Suppresses" items={negative} vocab={vocab} scale={scale} testId="logits-negative" />
      </div>
      <Histogram
        counts={histogram.counts}
        lo={histogram.lo}
        hi={histogram.hi}
        color={(v) => activationColor(v, scale).background}
        unit="vocabulary tokens"
        xLabel="effect on the logit (centred)"
        logY
        height={130}
        label="Histogram of the feature's effect on every token's logit"
        format={(v) => (v === 0 ? '0' : formatSigned(v))}
      />
    </div>
  );
}
