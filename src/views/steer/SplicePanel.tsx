import { useState } from 'react';
import { useHashLocation } from '../../hooks/useHashLocation';
import { TokenStrip } from '../../components/tokens/TokenStrip';
import { displayToken } from '../../components/tokens/tokenDisplay';
import type { SaeInfo } from '../../engine/engine';
import type { SpliceAnalysis } from '../../engine/evaluation/spliceAnalysis';
import { formatSigned } from '../../format/numbers';
import { request } from '../../state/session';
import { splitHash } from '../matchRoute';
import { writeViewQuery } from '../viewQuery';
import { useAnalysis } from './useAnalysis';

const WORST = 5;

/** The tokens where splicing the SAE in costs the model most (largest CE increase), worst first. */
export function worstTokens(ceChange: ArrayLike<number>, n = WORST): number[] {
  return Array.from({ length: ceChange.length }, (_, t) => t)
    .filter((t) => t > 0 && ceChange[t]! > 0)
    .sort((a, b) => ceChange[b]! - ceChange[a]!)
    .slice(0, n);
}

/** Splice an SAE into the model on the prompt: per-token reconstruction error and CE change, CE recovered. */
export function SplicePanel({ text, defaultSaeId, saes }: { text: string; defaultSaeId: string; saes: readonly SaeInfo[] }) {
  // The SAE chosen is in the address (`splice=`); without one, the steering page's first.
  const saeId = splitHash(useHashLocation()).query.get('splice') ?? defaultSaeId;
  const { result, error, running, run: runAnalysis } = useAnalysis<SpliceAnalysis & { saeId: string }>();
  const [selected, setSelected] = useState<number | null>(null);
  const problem = text.trim() === '' ? 'Type a prompt above first.' : !saes.some((s) => s.id === saeId) ? `There is no SAE “${saeId}” loaded.` : null;

  const run = () => {
    setSelected(null);
    runAnalysis(request('splice', { text, saeId }).then((r) => r && { ...r, saeId }));
  };
  const worst = result ? worstTokens(result.ceChange) : [];
  const maxAbs = (a: Float32Array) => Math.max(1e-6, ...Array.from(a, Math.abs));

  return (
    <section className="panel steer-panel" data-testid="splice-panel" aria-busy={running}>
      <h2>Splice an SAE in</h2>
      <p className="muted">Replace the hook’s activation by the SAE’s reconstruction on the prompt and see, per token, what it misses and what it costs the model.</p>
      <div className="toolbar">
        <select className="select" aria-label="SAE to splice" data-testid="splice-sae" value={saeId} onChange={(e) => writeViewQuery({ splice: e.target.value }, 'push')}>
          {saes.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
        <button type="button" className="button" data-testid="splice-run" disabled={problem !== null || running} onClick={run}>
          Splice
        </button>
        {running && <span className="spinner spinner--on">computing…</span>}
      </div>
      {problem && <p className="inline-error">{problem}</p>}
      {error && <p className="inline-error">{error}</p>}
      {result && (
        <div data-testid="splice-result" className={running ? 'stale' : undefined}>
          <p data-testid="splice-summary">
            {result.saeId} on your text: CE {result.ceClean.toFixed(3)} → {result.ceSpliced.toFixed(3)} nats (zero-ablated {result.ceZero.toFixed(3)}), so{' '}
            <strong>{result.ceRecoveredPct.toFixed(1)}% CE recovered</strong>
            {result.bundleCeRecoveredPct !== null && <> against {result.bundleCeRecoveredPct.toFixed(1)}% on the bundle’s held-out text</>}.
          </p>
          <p className="muted">Reconstruction error ‖x̂ − x‖² / ‖x‖² on each token:</p>
          <div data-testid="splice-errors">
            <TokenStrip tokens={result.tokens} values={result.errors} scaleMax={maxAbs(result.errors)} from={1} selected={selected} onSelect={setSelected} label="Reconstruction error per token" />
          </div>
          <p className="muted">Cross-entropy change predicting each token (orange: the SAE makes it harder):</p>
          <div data-testid="splice-ce">
            <TokenStrip tokens={result.tokens} values={result.ceChange} scaleMax={maxAbs(result.ceChange)} from={1} selected={selected} onSelect={setSelected} label="CE change per token" />
          </div>
          <p data-testid="splice-worst">
            Loses most on:{' '}
            {worst.length === 0
              ? 'no token'
              : worst.map((t) => (
                  <button key={t} type="button" className="token-chip" onClick={() => setSelected(t)}>
                    {displayToken(result.tokens[t]!).text} {formatSigned(result.ceChange[t]!)}
                  </button>
                ))}
          </p>
        </div>
      )}
    </section>
  );
}
