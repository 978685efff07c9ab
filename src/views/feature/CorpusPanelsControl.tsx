import { useEffect, useState } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import { useComputedDashboards } from '../../state/computedDashboards';
import { useCorpusStore } from '../../state/corpusStore';
import { formatCount } from '../../format/numbers';
import { CorpusChoice, corpusName } from './CorpusChoice';
import './corpusPanels.css';

/** Sequence counts offered besides the whole corpus. */
const SIZES = [64, 256];

/** "about 40 s" from seconds. */
function duration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/**
 * "Compute corpus panels" for one of the reader's SAEs: over which corpus (CorpusChoice), how many
 * of its sequences to cover (with what that costs), then a progress bar with Cancel while the worker
 * runs the precompute's code over them, and afterwards what the panels cover. A failure or a cancel
 * is said here; the page's other panels keep working.
 */
export function CorpusPanelsControl({ saeId }: { saeId: string }) {
  const corpus = useCorpusStore((s) => s.info);
  const run = useComputedDashboards((s) => s.runs[saeId]);
  const shownSeqs = useComputedDashboards((s) => s.shown[saeId]);
  const shown = useComputedDashboards((s) => (shownSeqs !== undefined ? s.computed[saeId]?.[shownSeqs] : undefined));
  const tokensPerSecond = useComputedDashboards((s) => s.tokensPerSecond);
  const [choice, setChoice] = useState(SIZES[0]!);
  useEffect(() => useCorpusStore.getState().ensure(), []);

  if (!corpus || corpus.nSeqs === 0) return <CorpusChoice />;
  const sizes = [...SIZES.filter((n) => n < corpus.nSeqs), corpus.nSeqs];
  const nSeqs = Math.min(choice, corpus.nSeqs);
  const tokensOf = (n: number) => n * (corpus.seqLen - 1);
  const { compute, cancel } = useComputedDashboards.getState();

  if (run?.status === 'running') {
    const p = run.progress;
    const corpusStage = p === null || p.stage === 'corpus';
    const fraction = p === null ? 0 : corpusStage ? p.done / p.total : null;
    const left = p && corpusStage && p.done > 0 ? (run.seconds / p.done) * (p.total - p.done) : null;
    return (
      <div className="corpus-control" data-testid="corpus-progress" aria-live="polite">
        <ProgressBar fraction={fraction} label="Computing the corpus panels" />
        <div className="corpus-control__row">
          <span className="muted">
            {corpusStage
              ? `Running the model and your SAE over ${formatCount(p?.done ?? 0)} of ${formatCount(run.nSeqs)} sequences${left !== null ? ` · ${duration(left)} left` : ''}`
              : 'Assembling the dashboards of every feature…'}
          </span>
          <button type="button" className="button button--ghost button--small" onClick={() => cancel(saeId)} data-testid="corpus-cancel">
            Cancel
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="corpus-control">
      {shown ? (
        <p className="corpus-control__coverage" data-testid="corpus-coverage">
          Corpus panels over the first {formatCount(shown.root.corpus.usedSeqs)} sequences ({formatCount(shown.root.corpus.nTokens)} tokens) of{' '}
          {corpusName(corpus)}, computed in this browser.
        </p>
      ) : (
        <p className="muted">
          The corpus panels — activation distribution, top activations, activation intervals, co-activating features — come from a pass
          of the model and your SAE over a held-out corpus. Compute them here, in this browser:
        </p>
      )}
      <CorpusChoice />
      {run?.status === 'failed' && (
        <p className={run.cancelled ? 'muted' : 'inline-error'} role={run.cancelled ? undefined : 'alert'} data-testid="corpus-error">
          {run.cancelled ? run.error.message : `${run.error.title}: ${run.error.message}`}
        </p>
      )}
      <div className="corpus-control__row">
        <label className="corpus-control__choice">
          <span>{shown ? 'Compute over' : 'Cover'}</span>
          <select className="select select--compact" value={nSeqs} onChange={(e) => setChoice(Number(e.target.value))} data-testid="corpus-size">
            {sizes.map((n) => (
              <option key={n} value={n}>
                {n === corpus.nSeqs ? `all ${formatCount(n)} sequences` : `${formatCount(n)} sequences`} ({formatCount(tokensOf(n))} tokens)
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--small" onClick={() => void compute(saeId, nSeqs)} data-testid="corpus-compute">
          Compute corpus panels
        </button>
        <span className="muted" data-testid="corpus-estimate">
          {tokensPerSecond !== null
            ? `${duration(tokensOf(nSeqs) / tokensPerSecond)} at the speed measured here`
            : 'runs in the background; the rest of the page keeps working'}
        </span>
      </div>
    </div>
  );
}
