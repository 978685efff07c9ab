import type { Figure, SaeQuality } from '../../dashboardData/bundleReport';
import type { SaeInfo } from '../../engine/engine';
import { errorMessage } from '../../errors/engineError';
import { useLoadStore } from '../../state/loadStore';
import { useBundleQuality, useSaeMeasurements } from '../../state/saeQuality';
import type { RouteViewProps } from '../matchRoute';
import './saes.css';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** Held-out sequences a reader's SAE is measured on: spread over every source, a minute or two on a laptop. */
const MEASURE_SEQS = 64;

/**
 * `#/saes`: every SAE side by side — L0, FVU, dead and dense latents, CE loss recovered — grouped by
 * the hook it reads, so the architectures trained on one hook (layer 2's residual stream) compare at
 * a glance; the reader's own SAEs are measured here on the same held-out text.
 */
export function SaesView(_: RouteViewProps) {
  const saes = useLoadStore((s) => s.saes);
  const status = useLoadStore((s) => s.status);
  const bundle = useBundleQuality();
  useDocumentTitle('SAEs compared');
  const byHook = new Map<string, SaeInfo[]>();
  for (const s of saes) byHook.set(s.hookName, [...(byHook.get(s.hookName) ?? []), s]);
  const groups = [...byHook.entries()].sort(([, a], [, b]) => b.length - a.length || a[0]!.layer - b[0]!.layer);
  return (
    <div className="saes-view" data-testid="saes-view">
      <header className="panel saes-header">
        <h1>SAEs compared</h1>
        <p className="muted">
          How well each SAE reconstructs what it reads, on the held-out text
          {bundle.status === 'ready' ? ` (${bundle.value.sequences.toLocaleString('en-US')} sequences for the bundle’s SAEs)` : ''}: L0 is the mean number
          of active latents per token, FVU the fraction of variance left unexplained, CE recovered how much of the loss lost by zeroing the hook the
          reconstruction wins back. Intervals are 95 % bootstrap intervals over sequences. SAEs reading the same hook are grouped, so their
          architectures compare directly.
        </p>
        {bundle.status === 'failed' && <p className="inline-error">The bundle’s figures cannot be shown: {errorMessage(bundle.error)}</p>}
        {status === 'loading' && saes.length === 0 && <p className="muted">Loading the model’s list of SAEs…</p>}
      </header>
      <section className="panel">
        <div className="saes-table-wrap">
          <table className="saes-table">
            <thead>
              <tr>
                <th scope="col">SAE</th>
                <th scope="col">Architecture</th>
                <th scope="col" className="num">L0</th>
                <th scope="col" className="num">FVU</th>
                <th scope="col" className="num">Dead</th>
                <th scope="col" className="num">Dense</th>
                <th scope="col" className="num">CE recovered</th>
              </tr>
            </thead>
            {groups.map(([hook, list]) => (
              <tbody key={hook} data-testid="saes-group">
                <tr className="saes-group">
                  <th scope="rowgroup" colSpan={7}>
                    <code>{hook}</code> <span className="muted">· {list.length} SAE{list.length === 1 ? '' : 's'}</span>
                  </th>
                </tr>
                {list.map((s) => (
                  <SaeRow key={s.id} sae={s} quality={bundle.status === 'ready' ? bundle.value.byId.get(s.id) : undefined} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      </section>
    </div>
  );
}

function SaeRow({ sae, quality }: { sae: SaeInfo; quality: SaeQuality | undefined }) {
  const run = useSaeMeasurements((s) => s.runs[sae.id]);
  const { measure, cancel } = useSaeMeasurements.getState();
  const measured = run?.status === 'done' ? run.quality : undefined;
  const q = quality ?? measured;
  return (
    <tr data-testid="saes-row" data-sae={sae.id}>
      <th scope="row">
        <a href={`#/features/${encodeURIComponent(sae.id)}`}>{sae.id}</a>
        {sae.source === 'user' && <span className="chip saes-yours">yours</span>}
        {!quality && measured && <div className="muted">measured here on {run!.nSeqs} sequences</div>}
      </th>
      <td>{sae.architecture}</td>
      {q ? (
        <>
          <td className="num" data-label="L0">
            {interval(q.l0, 1)}
          </td>
          <td className="num" data-label="FVU">
            {interval(q.fvu, 3)}
          </td>
          <td className="num" data-label="Dead">
            {q.deadPct.toFixed(1)} %
          </td>
          <td className="num" data-label="Dense">
            {q.densePct.toFixed(1)} %
          </td>
          <td className="num" data-label="CE recovered" data-testid="ce-recovered">
            {interval(q.ceRecoveredPct, 1)} %
          </td>
        </>
      ) : (
        <td colSpan={5}>
          {run?.status === 'running' ? (
            <span className="saes-measuring">
              <progress max={run.nSeqs} value={run.done} aria-label={`Measuring ${sae.id}`} /> {run.done} of {run.nSeqs} sequences{' '}
              <button type="button" className="button button--small button--ghost" onClick={() => cancel(sae.id)}>
                Cancel
              </button>
            </span>
          ) : (
            <span className="saes-measuring">
              {sae.source === 'user' ? (
                <button type="button" className="button button--small" data-testid="measure-sae" onClick={() => void measure(sae.id, MEASURE_SEQS)}>
                  Measure on {MEASURE_SEQS} held-out sequences
                </button>
              ) : (
                <span className="muted">not in the bundle’s report</span>
              )}
              {run?.status === 'failed' && <span className="inline-error" data-testid="measure-error">{run.error.title}: {run.error.message}</span>}
            </span>
          )}
        </td>
      )}
    </tr>
  );
}

function interval(f: Figure, digits: number): string {
  const v = f.value.toFixed(digits);
  return f.lo === f.hi ? v : `${v} [${f.lo.toFixed(digits)}–${f.hi.toFixed(digits)}]`;
}
