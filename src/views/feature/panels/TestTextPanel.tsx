import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../errors/engineError';
import { formatActivation } from '../../../format/numbers';
import { ColorLegend } from '../../../components/tokens/ColorLegend';
import { displayToken } from '../../../components/tokens/tokenDisplay';
import { TokenStrip } from '../../../components/tokens/TokenStrip';
import { LiveAttribution } from '../../../components/attribution/LiveAttribution';
import { useHostText } from '../../../embed/hostText';
import { useEngine } from '../../../hooks/useEngine';
import { featureColumn } from '../../../state/activations';
import { loadHeadline } from '../../../components/loadStages';
import { useLoadStore } from '../../../state/loadStore';
import { request, TYPING_DEBOUNCE_MS } from '../../../state/session';
import { sampleText } from '../exampleText';
import { featureScale, type FeaturePageData } from '../featurePageData';
import { useHashLocation } from '../../../hooks/useHashLocation';
import { headHref, splitHash } from '../../matchRoute';
import { AddressTextNotice } from '../../prompt/AddressTextNotice';
import { useAddressText } from '../../useAddressText';
import { intParam, writeViewQuery } from '../../viewQuery';

/** The worker lane of this panel: its requests never drop the prompt view's. */
const LANE = 'feature-test';

interface Result {
  text: string;
  tokens: string[];
  special: boolean[];
  values: Float32Array;
  truncated: boolean;
}

/**
 * Type any text and see this feature's activation on each token, computed live by the model. The
 * text typed and the token clicked are kept in the page's address (`text=`, `token=`).
 */
export function TestTextPanel({ data }: { data: FeaturePageData }) {
  const { sae, index, corpus } = data;
  const saeId = sae.id;
  const status = useLoadStore((s) => s.status);
  const files = useLoadStore((s) => s.files);
  const steps = useLoadStore((s) => s.steps);
  const address = useAddressText();
  const selected = intParam(splitHash(useHashLocation()).query.get('token'), null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [computing, setComputing] = useState(false);
  const latest = useRef(0);
  useEngine();

  // Start from the address's text, else the embed's, else the top example's sentence; a host's new text replaces the reader's.
  const hostText = useHostText((s) => s.text);
  const [typedFor, setTypedFor] = useState(hostText);
  const text = typedFor === hostText ? address.text : null;
  const top = corpus?.dashboard.groups.find((g) => g.kind === 'top')?.examples[0];
  const suggested = corpus?.tokens.status === 'ready' && top ? sampleText(top, corpus.tokens.value, data.vocab) : (data.startText ?? '');
  const shown = text ?? hostText ?? suggested;

  // A new feature drops the last one's result (state adjusted during render, as React recommends).
  const featureKey = `${saeId}/${index}`;
  const [resultFor, setResultFor] = useState(featureKey);
  if (resultFor !== featureKey) {
    setResultFor(featureKey);
    setResult(null);
    setError(null);
  }

  useEffect(() => {
    if (status !== 'ready' || shown.trim() === '') return;
    const id = ++latest.current;
    const timer = setTimeout(() => {
      setComputing(true);
      request('analyze', { text: shown, saeId, lane: LANE }).then(
        (acts) => {
          if (acts === null || id !== latest.current) return;
          setComputing(false);
          setError(null);
          setResult({ text: shown, tokens: acts.tokens, special: acts.special, values: featureColumn(acts.acts, acts.nTokens, acts.dSae, index), truncated: acts.truncated });
        },
        (err: unknown) => {
          if (id !== latest.current) return;
          setComputing(false);
          setError(errorMessage(err));
        },
      );
    }, text === null ? 0 : TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [status, shown, saeId, index, text]);

  const corpusMax = featureScale(data);
  let peak = 1;
  if (result) for (let i = 1; i < result.values.length; i++) if (Math.abs(result.values[i]!) > Math.abs(result.values[peak] ?? 0)) peak = i;
  const peakValue = result?.values[peak] ?? 0;
  // The token split by head: the one clicked, else the peak.
  const dest = (result && selected !== null && selected < result.tokens.length ? selected : null) ?? (peakValue !== 0 ? peak : null);
  const scale = Math.max(corpusMax, Math.abs(peakValue));

  return (
    <div className="test-text" data-testid="test-text">
      <textarea
        className="textarea test-text__input"
        data-testid="test-text-input"
        aria-label={`Text to run feature ${index} on`}
        placeholder="Type a sentence to see where this feature fires…"
        value={shown}
        rows={3}
        spellCheck={false}
        onChange={(e) => {
          setTypedFor(hostText);
          address.setText(e.target.value, { token: null });
        }}
      />
      <AddressTextNotice notice={address.notice} />
      <div className="test-text__status" aria-live="polite">
        {status === 'loading' && <span className="muted" data-testid="test-loading">Loading the model to run your text: {loadHeadline(files, steps)}</span>}
        {status === 'failed' && <span className="inline-error">The model could not be loaded, so text cannot be run; the rest of this page still works.</span>}
        {status === 'ready' && error !== null && <span className="inline-error">{error}</span>}
        {status === 'ready' && error === null && result && (
          <span data-testid="test-text-summary">
            {peakValue === 0 ? (
              <>Feature {index} does not fire on this text.</>
            ) : (
              <>
                Peaks at <strong>{formatActivation(peakValue)}</strong> on{' '}
                <code className="token-chip">{displayToken(result.tokens[peak] ?? '').text}</code>
                {corpusMax > 0 && <span className="muted"> · {Math.round((Math.abs(peakValue) / corpusMax) * 100)}% of its corpus maximum</span>}
              </>
            )}
            {result.truncated && <span className="muted"> · cut to the model's context</span>}
            {computing && <span className="muted"> · updating…</span>}
          </span>
        )}
        {status === 'ready' && !result && computing && <span className="muted">Running the model…</span>}
      </div>
      {result && (
        <div className={`test-text__result${computing ? ' test-text__result--stale' : ''}`} data-testid="test-text-result">
          <TokenStrip
            tokens={result.tokens}
            special={result.special}
            values={result.values}
            scaleMax={scale}
            from={1}
            selected={dest}
            onSelect={(i) => writeViewQuery({ token: i }, 'push')}
            label={`Activation of feature ${index} on each token`}
          />
          <ColorLegend scaleMax={scale} signed={sae.signed} caption={`feature ${index}`} />
        </div>
      )}
      {result && sae.kind !== 'mlp' && (
        <section className="test-text__attribution" aria-label="Who wrote the feature">
          <h3 className="test-text__subtitle">{sae.kind === 'attn' ? 'Which heads and source tokens wrote it' : 'Which heads wrote it'}</h3>
          {dest === null || dest < 1 ? (
            <p className="muted" data-testid="attribution-hint">
              Click a token above to split feature {index} there by {sae.kind === 'attn' ? 'head and source token' : 'head, MLP and embeddings'}.
            </p>
          ) : (
            <LiveAttribution
              query={{ text: result.text, saeId, feature: index, dest, lane: `${LANE}-attribution` }}
              tokens={result.tokens}
              special={result.special}
              headHref={(l, h) => headHref(l, h, data.live ? saeId : undefined)}
            />
          )}
        </section>
      )}
    </div>
  );
}
