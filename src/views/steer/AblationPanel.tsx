import { useState } from 'react';
import { useHashLocation } from '../../hooks/useHashLocation';
import { TokenStrip } from '../../components/tokens/TokenStrip';
import type { SaeInfo } from '../../engine/engine';
import type { Ablation, TokenShift } from '../../engine/interventions/ablation';
import { formatActivation, formatSigned } from '../../format/numbers';
import { request } from '../../state/session';
import { featureHref, splitHash } from '../matchRoute';
import { writeViewQuery } from '../viewQuery';
import { checkFeature } from './steerInput';
import { useAnalysis } from './useAnalysis';

export interface AblationPanelProps {
  text: string;
  /** the feature to ablate (the steering page's first) */
  saeId: string;
  feature: string;
  saes: readonly SaeInfo[];
}

const percent = (p: number) => `${(100 * p).toFixed(p < 0.01 ? 2 : 1)}%`;

/** Zero (or clamp) one feature at one token or every token, and see the next token and later features move. */
export function AblationPanel({ text, saeId, feature, saes }: AblationPanelProps) {
  const [at, setAt] = useState<number | null>(null);
  // The value held at is the reader's choice, in the address (`hold=`); where the last run held it is its result's.
  const value = splitHash(useHashLocation()).query.get('hold') ?? '0';
  const { result, error, running, run: runAnalysis } = useAnalysis<Ablation>();
  const named = checkFeature({ saeId, feature }, saes);
  const clampTo = Number(value);
  const problem = !named.ok ? named.problem : value.trim() === '' || !Number.isFinite(clampTo) ? `“${value}” is not a number to hold the feature at.` : text.trim() === '' ? 'Type a prompt above first.' : null;

  const run = (position: number | null) => {
    if (problem || !named.ok) return;
    setAt(position);
    runAnalysis(request('ablate', { text, saeId, feature: named.value.feature, at: position, value: clampTo }));
  };

  return (
    <section className="panel steer-panel" data-testid="ablation-panel" aria-busy={running}>
      <h2>Ablate the feature</h2>
      <p className="muted">
        Hold {saeId} feature {feature} at a value (0 ablates it) on the prompt, at one token (click one below) or at every token, and compare the next-token
        distribution after the text and the features of later SAEs.
      </p>
      <div className="toolbar">
        <label>
          hold at{' '}
          <input className="input steer-feature__index" aria-label="Hold the feature at" value={value} onChange={(e) => writeViewQuery({ hold: e.target.value === '0' ? null : e.target.value }, 'type')} />
        </label>
        <button type="button" className="button" data-testid="ablate-run" disabled={problem !== null || running} onClick={() => run(null)}>
          Ablate at every token
        </button>
        {at !== null && <span className="muted">last run: at token {at} only</span>}
        {running && <span className="spinner spinner--on">computing…</span>}
      </div>
      {problem && <p className="inline-error">{problem}</p>}
      {error && <p className="inline-error">{error}</p>}
      {result && (
        <div data-testid="ablation-result" className={running ? 'stale' : undefined}>
          <p className="muted">The feature on each token before the ablation (click a token to ablate there only):</p>
          <TokenStrip
            tokens={result.tokens}
            values={result.featureActs}
            scaleMax={Math.max(1e-6, ...Array.from(result.featureActs, Math.abs))}
            from={1}
            selected={at}
            onSelect={(i) => run(i)}
            label={`Feature ${feature} on each token`}
          />
          <p data-testid="ablation-kl">
            Next-token distribution after the text: KL {result.klNats.toExponential(2)} nats
          </p>
          <div className="ablation-shifts">
            <ShiftTable title="More likely" rows={result.up} testId="ablation-up" />
            <ShiftTable title="Less likely" rows={result.down} testId="ablation-down" />
          </div>
          <h3>Later SAEs’ features (summed over the ablated tokens and after)</h3>
          {result.downstream.length === 0 && <p className="muted">No SAE reads the model after this one.</p>}
          <div className="ablation-downstream" data-testid="ablation-downstream">
            {result.downstream.map((d) => (
              <div key={d.saeId}>
                <h4>{d.saeId}</h4>
                {d.rising.length + d.falling.length === 0 ? (
                  <p className="muted">no feature moved</p>
                ) : (
                  <ul className="plain-list">
                    {[...d.rising, ...d.falling].map((s) => (
                      <li key={s.feature}>
                        <a href={featureHref(d.saeId, s.feature)}>#{s.feature}</a> {formatActivation(s.before)} → {formatActivation(s.after)}{' '}
                        <span className={s.after > s.before ? 'shift-up' : 'shift-down'}>({formatSigned(s.after - s.before)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function ShiftTable({ title, rows, testId }: { title: string; rows: readonly TokenShift[]; testId: string }) {
  return (
    <table className="shift-table" data-testid={testId}>
      <caption>{title}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              <code className="token-chip">{JSON.stringify(r.text)}</code>
            </td>
            <td>
              {percent(r.before)} → {percent(r.after)}
            </td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td className="muted">none</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
