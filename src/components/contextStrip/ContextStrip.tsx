import { useRef, useState } from 'react';
import { formatActivation } from '../../format/numbers';
import { sequenceStep } from '../keyboardSteps';
import { activationColor } from '../tokens/activationColor';
import { displayToken, quotedToken } from '../tokens/tokenDisplay';
import '../tokens/tokenStrip.css';
import './contextStrip.css';

export interface ContextStripProps {
  /** token texts of the window */
  tokens: readonly string[];
  /** the feature's activation on each token of the window */
  values: ArrayLike<number>;
  /** index (in the window) of the token the example is centred on */
  peak: number;
  /** |activation| drawn at full colour: the feature's max, so rows compare */
  scaleMax: number;
  /** shown before the tokens, e.g. the activation at the peak */
  lead?: string;
  /** a link to where the example comes from, e.g. "seq 12 · pos 40" */
  source?: string;
}

/**
 * One example context as a single line of tokens coloured by activation, laid out as a
 * concordance: the peak token sits in a centre column so that the peaks of many rows line up,
 * with the text before it right-aligned (cut on the left when long) and the text after it
 * left-aligned. Hover a token for its value; by keyboard a row is one tab stop, whose arrow keys
 * (Home, End) walk its tokens from the peak with the same tooltip, read out to screen readers.
 */
export function ContextStrip({ tokens, values, peak, scaleMax, lead, source }: ContextStripProps) {
  const [hover, setHover] = useState<{ index: number; left: number } | null>(null);
  const row = useRef<HTMLDivElement>(null);
  const showAt = (i: number, el: HTMLElement) => {
    const strip = row.current!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    setHover({ index: i, left: box.left - strip.left + box.width / 2 });
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const next = sequenceStep(e.key, hover?.index ?? peak, 0, tokens.length - 1);
    if (next === null) return;
    e.preventDefault();
    const el = row.current?.querySelector<HTMLElement>(`[data-i="${next}"]`);
    if (el) showAt(next, el);
  };
  const token = (i: number) => {
    const v = values[i] ?? 0;
    const colors = activationColor(v, scaleMax);
    return (
      <span
        key={i}
        className={`ctx__token${i === peak ? ' ctx__token--peak' : ''}${v !== 0 ? ' ctx__token--active' : ''}${i === hover?.index ? ' ctx__token--current' : ''}`}
        style={{ background: colors.background, color: colors.text }}
        data-value={v}
        data-i={i}
        onMouseEnter={(e) => showAt(i, e.currentTarget)}
        onMouseLeave={() => setHover(null)}
      >
        {displayToken(tokens[i] ?? '').text}
      </span>
    );
  };
  const before = Array.from({ length: peak }, (_, i) => token(i));
  const after = Array.from({ length: Math.max(0, tokens.length - peak - 1) }, (_, i) => token(peak + 1 + i));
  return (
    <div
      ref={row}
      className="ctx"
      data-testid="context-strip"
      tabIndex={0}
      role="group"
      aria-label={`Example${source !== undefined ? ` ${source}` : ''}, peak ${quotedToken(tokens[peak] ?? '')}${lead !== undefined ? ` ${lead}` : ''}: arrow keys read each token`}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        // Reached by keyboard, the row shows its peak's value at once.
        const el = row.current?.querySelector<HTMLElement>(`[data-i="${peak}"]`);
        if (el && e.currentTarget.matches(':focus-visible')) showAt(peak, el);
      }}
      onBlur={() => setHover(null)}
      onMouseLeave={() => setHover(null)}
    >
      {lead !== undefined && <span className="ctx__lead">{lead}</span>}
      <span className="ctx__before">
        <span className="ctx__inner">{before}</span>
      </span>
      <span className="ctx__peak">{token(peak)}</span>
      <span className="ctx__after">{after}</span>
      {source !== undefined && <span className="ctx__source muted">{source}</span>}
      <span className="visually-hidden" aria-live="polite">
        {hover !== null ? `${quotedToken(tokens[hover.index] ?? '')} ${formatActivation(values[hover.index] ?? 0)}` : ''}
      </span>
      {hover !== null && (
        <span className="token-tooltip ctx__tooltip" role="tooltip" data-testid="token-tooltip" style={{ left: hover.left }}>
          <code className="token-tooltip__token">{quotedToken(tokens[hover.index] ?? '')}</code>
          <span className="token-tooltip__value">{formatActivation(values[hover.index] ?? 0)}</span>
        </span>
      )}
    </div>
  );
}
