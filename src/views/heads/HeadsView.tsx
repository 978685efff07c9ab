import { interpolateYlOrRd } from 'd3';
import { ErrorCard } from '../../components/ErrorCard';
import { readableText } from '../../components/tokens/activationColor';
import { toAppError } from '../../state/appError';
import { featureHref, headHref, type RouteViewProps } from '../matchRoute';
import { useHeadStatsEntries, type HeadStatsEntry } from './headStatsEntries';
import { scoreSummary } from './scoreSummary';
import './heads.css';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** A score's cell colour: pale for a head that writes few things, dark red for one that writes many. */
export function scoreColor(score: number, maxScore: number): { background: string; color: string } {
  const background = interpolateYlOrRd(maxScore > 1 ? Math.min(1, (score - 1) / (maxScore - 1)) : 0);
  return { background, color: readableText(background) };
}

/** `#/heads`: every head of every layer with an attention SAE, coloured by how polysemantic it is. */
export function HeadsView(_: RouteViewProps) {
  const { entries, pending, error, retry, uncomputed } = useHeadStatsEntries();
  useDocumentTitle('Attention heads');
  const scores = entries.flatMap((e) => e.stats.heads.map((h) => h.score));
  const maxScore = Math.max(1, ...scores);
  const summary = scoreSummary(scores);
  return (
    <div className="heads-view" data-testid="heads-view">
      <header className="panel heads-header">
        <h1>Attention heads</h1>
        <p className="muted">
          How polysemantic each head is: the effective number of distinct things it writes, measured through its layer’s attention-output SAE (
          features grouped by decoder direction, weighted by how much of each the head writes at the features’ top activations). 1 means a single
          thing; higher means more. Open a head to see what it writes.
        </p>
      </header>
      {error !== null && <ErrorCard error={toAppError('The head statistics cannot be shown', error)} onRetry={retry} />}
      {pending && <p className="muted">Loading the head statistics…</p>}
      {entries.length > 0 && (
        <section className="panel">
          <div className="heads-grid-wrap">
            <table className="heads-grid" data-testid="heads-grid">
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  {entries[0]!.stats.heads.map((h) => (
                    <th scope="col" key={h.head}>
                      H{h.head}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <HeadRow key={e.saeId} entry={e} maxScore={maxScore} />
                ))}
              </tbody>
            </table>
          </div>
          {summary && (
            <p className="muted heads-summary" data-testid="heads-summary">
              {scores.length} heads · polysemanticity median {summary.median.toFixed(1)}, range {summary.min.toFixed(1)}–{summary.max.toFixed(1)}, quartiles{' '}
              {summary.q1.toFixed(1)}–{summary.q3.toFixed(1)}
            </p>
          )}
        </section>
      )}
      {uncomputed.length > 0 && (
        <section className="panel">
          <h2>Your attention SAEs</h2>
          <p className="muted">
            Their heads are scored once their corpus panels are computed: open a feature of {uncomputed.length === 1 ? 'it' : 'each'} and press “Compute
            corpus panels”.
          </p>
          <ul>
            {uncomputed.map((u) => (
              <li key={u.saeId}>
                <a href={featureHref(u.saeId, 0)}>{u.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function HeadRow({ entry, maxScore }: { entry: HeadStatsEntry; maxScore: number }) {
  const { stats, source, saeId, title } = entry;
  return (
    <tr>
      <th scope="row" title={title}>
        L{stats.layer}
        {source === 'user' && <span className="muted"> · {saeId}</span>}
      </th>
      {stats.heads.map((h) => {
        const colors = scoreColor(h.score, maxScore);
        return (
          <td key={h.head} style={colors} className="heads-grid__cell">
            <a
              href={headHref(stats.layer, h.head, source === 'user' ? saeId : undefined)}
              style={{ color: colors.color }}
              aria-label={`Head L${stats.layer}H${h.head}: polysemanticity ${h.score.toFixed(1)}`}
              data-testid="head-cell"
            >
              {h.score.toFixed(1)}
            </a>
          </td>
        );
      })}
    </tr>
  );
}
