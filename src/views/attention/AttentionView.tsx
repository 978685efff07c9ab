import { useEffect, useState } from 'react';
import type { AttentionPatterns } from '../../engine/analysis/attentionPatterns';
import { errorMessage } from '../../errors/engineError';
import { displayToken } from '../../components/tokens/tokenDisplay';
import { useLoadStore } from '../../state/loadStore';
import { usePromptStore } from '../../state/promptStore';
import { request, TYPING_DEBOUNCE_MS } from '../../state/session';
import { headHref, type RouteViewProps } from '../matchRoute';
import { AddressTextNotice } from '../prompt/AddressTextNotice';
import { usePromptAddress } from '../prompt/usePromptAddress';
import { intParam, withQuery } from '../viewQuery';
import { PatternCanvas } from './PatternCanvas';
import { SourceText } from './SourceText';
import './attention.css';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

const THUMBNAIL_PX = 88;
const LARGE_PX = 420;

/**
 * `#/attention?layer=<L>&head=<H>&text=…`: every head's attention pattern on the prompt's text
 * (edited here too; the address holds it, ../prompt/usePromptAddress.ts), one thumbnail per head;
 * the chosen head large, and its weights on the text for the destination token under the pointer.
 */
export function AttentionView({ query }: RouteViewProps) {
  const status = useLoadStore((s) => s.status);
  const text = usePromptStore((s) => s.text);
  const setText = usePromptStore((s) => s.setText);
  const { notice: addressNotice } = usePromptAddress([]);
  const layer = intParam(query.get('layer'), 0);
  const head = intParam(query.get('head'), 0);
  useDocumentTitle(`Attention L${layer}H${head}`);
  const [computed, setResult] = useState<AttentionPatterns | null>(null);
  const [failure, setError] = useState<string | null>(null);
  // An empty box shows nothing, whatever was computed for the text before.
  const empty = text.trim() === '';
  const result = empty ? null : computed;
  const error = empty ? null : failure;
  const [computing, setComputing] = useState(false);
  const [dest, setDest] = useState<number | null>(null);

  useEffect(() => {
    if (status !== 'ready' || text.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      setComputing(true);
      request('attention', { text }).then(
        (r) => {
          if (!current || r === null) return;
          setComputing(false);
          setError(null);
          setResult(r);
        },
        (err: unknown) => {
          if (!current) return;
          setComputing(false);
          setError(errorMessage(err));
        },
      );
    }, TYPING_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [status, text]);

  const valid = result !== null && layer < result.nLayers && head < result.nHeads;
  const block = result ? result.nHeads * result.T * result.T : 0;
  const shownDest = result && dest !== null && dest < result.T ? dest : result ? result.T - 1 : null;

  return (
    <div className="attention-view" data-testid="attention-view">
      <header className="panel attention-header">
        <h1>Attention patterns</h1>
        <p className="muted">
          Where each head looks: row d of a pattern is how destination token d spreads its attention over the tokens before it (the grey triangle is
          the causal mask). Click a thumbnail to enlarge it; hover a token of the text to see its weights.
        </p>
        <textarea
          className="textarea"
          rows={2}
          value={text}
          spellCheck={false}
          aria-label="Text to show the attention patterns of"
          data-testid="attention-input"
          onChange={(e) => setText(e.target.value)}
        />
        <AddressTextNotice notice={addressNotice} />
        <div className="attention-status" aria-live="polite">
          {status === 'loading' && <span className="muted">Loading the model…</span>}
          {status === 'failed' && <span className="inline-error">The model could not be loaded, so no pattern can be computed.</span>}
          {empty && <span className="muted">Type some text to see where the heads look.</span>}
          {error !== null && <span className="inline-error" data-testid="attention-error">{error}</span>}
          {computing && <span className="muted">computing…</span>}
          {result?.truncated && <span className="muted">The text was cut to the model’s context.</span>}
        </div>
      </header>
      {result && (
        <div className={`attention-body${computing ? ' stale' : ''}`}>
          <section className="panel attention-thumbs" aria-label="Every head">
            {Array.from({ length: result.nLayers }, (_, l) => (
              <div key={l} className="attention-thumbs__layer">
                <span className="attention-thumbs__name">L{l}</span>
                {Array.from({ length: result.nHeads }, (_, h) => (
                  <a
                    key={h}
                    href={withQuery(window.location.hash, { layer: l, head: h })}
                    className={`attention-thumb${l === layer && h === head ? ' attention-thumb--on' : ''}`}
                    aria-current={l === layer && h === head ? 'true' : undefined}
                    data-testid="attention-thumb"
                  >
                    <PatternCanvas patterns={result.patterns} offset={l * block + h * result.T * result.T} T={result.T} size={THUMBNAIL_PX} label={`Attention pattern of head L${l}H${h}`} />
                    <span>H{h}</span>
                  </a>
                ))}
              </div>
            ))}
          </section>
          {valid ? (
            <section className="panel attention-large" aria-label={`Head L${layer}H${head}`} data-testid="attention-large">
              <h2>
                Head L{layer}H{head} <a className="attention-large__link" href={headHref(layer, head)}>what it writes →</a>
              </h2>
              <div className="attention-large__body">
                <PatternCanvas
                  patterns={result.patterns}
                  offset={layer * block + head * result.T * result.T}
                  T={result.T}
                  size={LARGE_PX}
                  row={shownDest}
                  label={`Attention pattern of head L${layer}H${head}`}
                  onHoverCell={(c) => c && setDest(c.dest)}
                />
                <SourceText
                  tokens={result.tokens}
                  special={result.special}
                  weights={result.patterns.subarray(layer * block + head * result.T * result.T + (shownDest ?? 0) * result.T, layer * block + head * result.T * result.T + ((shownDest ?? 0) + 1) * result.T)}
                  dest={shownDest ?? 0}
                  onHoverToken={setDest}
                />
              </div>
              {shownDest !== null && (
                <p className="muted" data-testid="attention-dest">
                  Destination token {shownDest} <code className="token-chip">{displayToken(result.tokens[shownDest] ?? '').text}</code>: its weights on the
                  tokens up to it, darker is more.
                </p>
              )}
            </section>
          ) : (
            <p className="inline-error">The model has layers 0–{result.nLayers - 1} and heads 0–{result.nHeads - 1}; pick one above.</p>
          )}
        </div>
      )}
    </div>
  );
}

