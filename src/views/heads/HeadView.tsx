import { ContextStrip } from '../../components/contextStrip/ContextStrip';
import { ErrorCard } from '../../components/ErrorCard';
import { KEPT_GROUPS, KEPT_MEMBERS } from '../../dashboardData/headStats';
import { errorMessage } from '../../errors/engineError';
import { formatActivation } from '../../format/numbers';
import { usePromise } from '../../hooks/usePromise';
import { toAppError } from '../../state/appError';
import { useFeatureLabel } from '../../state/labelStore';
import { exampleTokens } from '../feature/exampleText';
import { attentionHref, featureHref, headHref, type RouteViewProps } from '../matchRoute';
import { useHeadStatsEntries, type HeadStatsEntry } from './headStatsEntries';
import { scoreColor } from './HeadsView';
import './heads.css';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** `#/head/<L>/<H>[?sae=<id>]`: what one head writes, through its layer's attention SAE. */
export function HeadView({ params, query }: RouteViewProps) {
  const layer = Number(params.layer);
  const head = Number(params.head);
  const saeId = query.get('sae');
  useDocumentTitle(`Head L${params.layer}H${params.head}`, saeId);
  const { entries, pending, error, retry } = useHeadStatsEntries();
  const entry = entries.find((e) => (saeId !== null ? e.saeId === saeId : e.source === 'bundle' && e.stats.layer === layer));

  if (error !== null && !entry) return <ErrorCard error={toAppError('The head statistics cannot be shown', error)} onRetry={retry} />;
  if (!entry) {
    if (pending) return <div className="heads-view skeleton-panel" aria-busy="true" />;
    const why =
      saeId !== null
        ? `There are no head statistics for an SAE “${saeId}”: load it on the prompt page and compute its corpus panels.`
        : `No attention SAE of this bundle reads block ${params.layer}. Layers with one: ${entries.map((e) => e.stats.layer).join(', ') || 'none'}.`;
    return <ErrorCard error={toAppError('This head cannot be shown', new Error(why))} />;
  }
  if (!Number.isInteger(head) || head < 0 || head >= entry.stats.nHeads || entry.stats.layer !== layer) {
    return (
      <ErrorCard
        error={toAppError('No such head', new Error(`${entry.title} reads block ${entry.stats.layer}, with heads 0 to ${entry.stats.nHeads - 1}.`))}
      />
    );
  }
  return <HeadPage entry={entry} head={head} maxScore={Math.max(1, ...entries.flatMap((e) => e.stats.heads.map((h) => h.score)))} />;
}

function HeadPage({ entry, head, maxScore }: { entry: HeadStatsEntry; head: number; maxScore: number }) {
  const { stats, saeId, source } = entry;
  const summary = stats.heads[head]!;
  const user = source === 'user' ? saeId : undefined;
  const color = scoreColor(summary.score, maxScore);
  return (
    <div className="heads-view" data-testid="head-view">
      <header className="panel heads-header">
        <p className="muted">
          <a href="#/heads">All heads</a> · {entry.title}
        </p>
        <h1>
          Head L{stats.layer}H{head}{' '}
          <span className="chip" style={color} data-testid="head-score">
            polysemanticity {summary.score.toFixed(1)}
          </span>
        </h1>
        <p className="muted">
          It writes {summary.nGroups} distinct group{summary.nGroups === 1 ? '' : 's'} of features (decoder cosine ≥ 0.5) among those covering 90 % of
          its mass; the score is the effective number of them.
        </p>
        <nav className="head-nav" aria-label="Other heads">
          {head > 0 && <a href={headHref(stats.layer, head - 1, user)}>← H{head - 1}</a>}
          {head < stats.nHeads - 1 && <a href={headHref(stats.layer, head + 1, user)}>H{head + 1} →</a>}
          <a href={attentionHref(stats.layer, head)}>Its attention pattern on your text</a>
        </nav>
      </header>
      {summary.top.length === 0 ? (
        <section className="panel">
          <p className="empty-note">This head writes none of the SAE’s features at their top activations.</p>
        </section>
      ) : (
        <>
          <section className="panel">
            <h2>Groups it writes</h2>
            <ol className="head-groups" data-testid="head-groups">
              {summary.groups.slice(0, KEPT_GROUPS).map((g, i) => (
                <li key={g[0]}>
                  <strong>{((summary.groupShares[i] ?? 0) * 100).toFixed(1)}%</strong>
                  {g.slice(0, KEPT_MEMBERS).map((f) => (
                    <a key={f} href={featureHref(saeId, f)}>
                      #{f}
                    </a>
                  ))}
                </li>
              ))}
            </ol>
            {summary.nGroups > KEPT_GROUPS && <p className="muted">…and {summary.nGroups - KEPT_GROUPS} smaller groups.</p>}
          </section>
          <section className="panel">
            <h2>Features it writes most</h2>
            <div className="heads-grid-wrap">
            <table className="head-features" data-testid="head-features">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col" className="head-features__num" title="The part of the head's written mass that is this feature">
                    Of the head
                  </th>
                  <th scope="col" className="head-features__num" title="The head's mean share of the feature's pre-activation at its top activations">
                    Of the feature
                  </th>
                  <th scope="col">Top example</th>
                </tr>
              </thead>
              <tbody>
                {summary.top.map((t) => (
                  <HeadFeatureRow key={t.feature} entry={entry} feature={t.feature} ofHead={t.mass / summary.totalMass} ofFeature={t.share} />
                ))}
              </tbody>
            </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}

function HeadFeatureRow({ entry, feature, ofHead, ofFeature }: { entry: HeadStatsEntry; feature: number; ofHead: number; ofFeature: number }) {
  const label = useFeatureLabel(entry.saeId, feature);
  const example = usePromise(async () => {
    const [dashboard, { corpus, vocab }] = await Promise.all([entry.dashboard(feature), entry.corpus()]);
    const top = dashboard.groups.find((g) => g.kind === 'top')?.examples[0];
    return top ? { ...exampleTokens(top, corpus, vocab), scale: Math.max(Math.abs(dashboard.maxAct), Math.abs(dashboard.minAct)) } : null;
  }, [entry, feature]);
  return (
    <tr data-testid="head-feature-row">
      <td>
        <a href={featureHref(entry.saeId, feature)}>#{feature}</a>
        {label && <div className="muted">{label.text}</div>}
      </td>
      <td className="head-features__num">{(ofHead * 100).toFixed(1)}%</td>
      <td className="head-features__num">{(ofFeature * 100).toFixed(0)}%</td>
      <td className="head-features__context">
        {example.status === 'pending' && <div className="skeleton-line" />}
        {example.status === 'failed' && <span className="inline-error">{errorMessage(example.error)}</span>}
        {example.status === 'ready' && example.value && (
          <ContextStrip
            tokens={example.value.tokens}
            values={example.value.values}
            peak={example.value.peak}
            scaleMax={example.value.scale}
            lead={formatActivation(example.value.values[example.value.peak] ?? 0)}
          />
        )}
      </td>
    </tr>
  );
}
