import { useState } from 'react';
import { ContextStrip } from '../../../components/contextStrip/ContextStrip';
import { activationColor } from '../../../components/tokens/activationColor';
import { displayToken } from '../../../components/tokens/tokenDisplay';
import { formatActivation, formatCount } from '../../../format/numbers';
import type { DashboardExample, DashboardExampleGroup } from '../../../dashboardData/featureDashboard';
import type { Corpus } from '../../../dashboardData/corpus';
import { errorMessage } from '../../../errors/engineError';
import { browseExamples, EXAMPLE_PAGE, EXAMPLE_SORTS, exampleSequence, type ExampleSort } from '../exampleBrowsing';
import { exampleTokens } from '../exampleText';
import { featureScale, type PageDataWith } from '../featurePageData';
import { useMoreExamples } from '../moreExamples';
import { useHashLocation } from '../../../hooks/useHashLocation';
import { splitHash } from '../../matchRoute';
import { writeViewQuery } from '../../viewQuery';

/** An example's whole sequence, shaded where its stored window has activations, the peak framed. */
function FullContext({ example, corpus, data }: { example: DashboardExample; corpus: Corpus; data: PageDataWith<'corpus'> }) {
  const { seq, tokens, values, peak } = exampleSequence(example, corpus, data.vocab);
  const scale = featureScale(data);
  const stored = values.filter((v) => v !== null).length;
  return (
    <div className="example-context" data-testid="example-context">
      <p className="example-context__text">
        {tokens.map((t, i) => {
          const v = values[i] ?? null;
          const colour = v !== null && v !== 0 ? activationColor(v, scale) : null;
          return (
            <span
              key={i}
              className={`example-context__token${i === peak ? ' example-context__token--peak' : ''}`}
              style={colour ? { background: colour.background, color: colour.text } : undefined}
              title={v !== null ? formatActivation(v) : 'not stored'}
            >
              {displayToken(t).text.replace(/·/g, ' ')}
            </span>
          );
        })}
      </p>
      <p className="muted example-context__note">
        Sequence {seq} of the corpus, whole ({tokens.length} tokens after BOS); activations are stored for the {stored} tokens around the
        peak, the rest unshaded. Paste it into “Test your text” to see the feature on all of it.
      </p>
    </div>
  );
}

function ExampleRows({ examples, data, empty }: { examples: readonly DashboardExample[]; data: PageDataWith<'corpus'>; empty: string }) {
  const corpus = data.corpus.tokens;
  const [open, setOpen] = useState<number | null>(null);
  if (examples.length === 0) return <p className="empty-note">{empty}</p>;
  if (corpus.status === 'pending') {
    return (
      <div className="example-rows example-rows--loading" aria-busy="true">
        {examples.map((e) => (
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
      {examples.map((e) => {
        const { tokens, values, peak, seq, pos } = exampleTokens(e, corpus.value, data.vocab);
        const expanded = open === e.token;
        return (
          <div key={e.token} className="example-row" data-testid="example-row">
            <div className="example-row__line">
              <ContextStrip tokens={tokens} values={values} peak={peak} scaleMax={scale} lead={formatActivation(values[peak] ?? 0)} source={`seq ${seq}:${pos}`} />
              <button
                type="button"
                className="button button--ghost button--small example-row__toggle"
                aria-expanded={expanded}
                aria-label={`${expanded ? 'Hide' : 'Show'} the whole text of sequence ${seq}`}
                onClick={() => setOpen(expanded ? null : e.token)}
                data-testid="example-expand"
              >
                {expanded ? 'Less' : 'Full text'}
              </button>
            </div>
            {expanded && <FullContext example={e} corpus={corpus.value} data={data} />}
          </div>
        );
      })}
    </div>
  );
}

/** The corpus sequences where the feature peaks highest: paged, filtered by token, sorted, each opening on its whole text. */
export function TopExamplesPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const stored = data.corpus.dashboard.groups.find((g) => g.kind === 'top');
  const more = useMoreExamples(data);
  // The filter and the sort are the reader's choices, in the page's address (`peak=`, `examplesort=`).
  const address = splitHash(useHashLocation()).query;
  const query = address.get('peak') ?? '';
  const asked = address.get('examplesort');
  const sort: ExampleSort = asked !== null && Object.hasOwn(EXAMPLE_SORTS, asked) ? (asked as ExampleSort) : 'activation';
  const [shown, setShown] = useState(EXAMPLE_PAGE);
  if (!stored) return <p className="empty-note">This feature never fires on the corpus’s sequences, so there are no examples.</p>;
  const loaded = more.state?.status === 'ready' ? more.state.value?.find((g) => g.kind === 'top') : undefined;
  const top = loaded ?? stored;
  const tokens = data.corpus.tokens;
  const listed = tokens.status === 'ready' ? browseExamples(top.examples, tokens.value, data.vocab, query, sort) : top.examples;
  // More to fetch: the page offers them, they are not fetched yet, and the feature fires in more sequences than are here.
  const canFetch = more.load !== null && more.state === undefined && top.count > top.examples.length;
  const onMore = () => {
    if (shown >= listed.length && canFetch) more.load!();
    setShown((n) => n + EXAMPLE_PAGE);
  };
  return (
    <>
      <p className="panel-note" data-testid="top-examples-note">
        {formatCount(Math.min(shown, listed.length))} of {formatCount(listed.length)}
        {query.trim() ? ` examples peaking on “${query.trim()}”` : ' examples'} shown, of the {formatCount(top.count)} sequences it fires in; one example
        per sequence, centred on its peak token.
      </p>
      <div className="example-controls">
        <input
          className="input example-controls__filter"
          type="search"
          placeholder="Filter by peak token…"
          aria-label="Filter the examples by the token they peak on"
          data-testid="example-filter"
          value={query}
          onChange={(e) => {
            writeViewQuery({ peak: e.target.value || null }, 'type');
            setShown(EXAMPLE_PAGE);
          }}
        />
        <label className="example-controls__sort">
          <span className="muted">Sort</span>
          <select className="select select--compact" data-testid="example-sort" value={sort} onChange={(e) => writeViewQuery({ examplesort: e.target.value === 'activation' ? null : e.target.value }, 'push')}>
            {(Object.keys(EXAMPLE_SORTS) as ExampleSort[]).map((k) => (
              <option key={k} value={k}>
                {EXAMPLE_SORTS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ExampleRows examples={listed.slice(0, shown)} data={data} empty={`No example here peaks on “${query.trim()}”.`} />
      {more.state?.status === 'pending' && <p className="muted" role="status">Fetching more examples…</p>}
      {more.state?.status === 'failed' && (
        <p className="inline-error" role="alert">
          More examples could not be fetched: {errorMessage(more.state.error)}
        </p>
      )}
      {(shown < listed.length || canFetch) && (
        <button type="button" className="button button--ghost example-more" onClick={onMore} data-testid="examples-more">
          {shown < listed.length ? `Show ${Math.min(EXAMPLE_PAGE, listed.length - shown)} more` : 'Show more (fetches more examples)'}
        </button>
      )}
    </>
  );
}

/** Samples of sequences whose peak falls in each band of the activation range (more of each once “show more” has fetched them). */
export function IntervalsPanel({ data }: { data: PageDataWith<'corpus'> }) {
  const more = useMoreExamples(data);
  const loaded = more.state?.status === 'ready' ? more.state.value?.filter((g) => g.kind === 'interval') : undefined;
  const groups: DashboardExampleGroup[] = loaded?.length ? loaded : data.corpus.dashboard.groups.filter((g) => g.kind === 'interval');
  if (groups.length === 0) return <p className="empty-note">This feature never fires on the corpus’s sequences.</p>;
  const max = featureScale(data);
  return (
    <div className="interval-groups">
      {more.load && !more.state && (
        <button type="button" className="button button--ghost button--small" onClick={more.load} data-testid="intervals-more">
          More examples per band
        </button>
      )}
      {groups.map((g) => (
        <section key={g.lo} className="interval-group" data-testid="interval-group">
          <h3 className="interval-group__title">
            <span className="interval-group__range">
              {formatActivation(g.lo)} – {formatActivation(g.hi)}
            </span>
            <span className="interval-group__share">
              {max > 0 ? `${Math.round((g.lo / max) * 100)}–${Math.round((g.hi / max) * 100)}% of max` : ''} · {g.examples.length} of{' '}
              {formatCount(g.count)} sequence
              {g.count === 1 ? '' : 's'}
            </span>
          </h3>
          <ExampleRows examples={g.examples} data={data} empty="No further sequences peak in this range." />
        </section>
      ))}
    </div>
  );
}
