import { useEffect, useRef, useState } from 'react';
import { formatActivation } from '../../format/numbers';
import { sequenceStep } from '../keyboardSteps';
import { activationColor } from './activationColor';
import { displayToken, quotedToken, SPECIAL_TOKEN_NOTE } from './tokenDisplay';
import './tokenStrip.css';

export interface TokenStripProps {
  /** display strings, one per token */
  tokens: readonly string[];
  /** the value that colours each token, same length as `tokens` */
  values: ArrayLike<number>;
  /** |value| drawn at full strength (values beyond are clipped) */
  scaleMax: number;
  /** tokens before this index are not drawn (e.g. 1 to hide BOS) @default 0 */
  from?: number;
  /** index of the highlighted token, or null */
  selected: number | null;
  onSelect(index: number): void;
  /** the token under the pointer or focus, or null when it leaves */
  onHover?(index: number | null): void;
  /** extra tooltip line for a token, e.g. which feature its value comes from */
  describe?(index: number): string | undefined;
  /** @default "Tokens" */
  label?: string;
  /** per token, whether it is a special token (drawn marked, and said so) @default none */
  special?: readonly boolean[];
}

/** About half the tooltip's usual width, in CSS pixels. */
const TOOLTIP_HALF_WIDTH = 80;

interface Hover {
  index: number;
  left: number;
  top: number;
}

/**
 * The prompt as coloured tokens: hover for the value, click to select. By keyboard the strip is one
 * tab stop (up to 255 tokens would otherwise each be one): arrows, Home and End move along it, and
 * Enter or Space selects.
 */
export function TokenStrip({
  tokens,
  values,
  scaleMax,
  from = 0,
  selected,
  onSelect,
  describe,
  onHover,
  label = 'Tokens',
  special,
}: TokenStripProps) {
  const [hover, setHover] = useState<Hover | null>(null);
  const strip = useRef<HTMLDivElement>(null);
  // The selected token stays in sight, above anything its selection opened (the phone's sheet of its
  // features): the whole strip where it fits, the token itself in any case.
  useEffect(() => {
    const el = strip.current;
    if (selected === null || !el) return;
    if (el.offsetHeight < window.innerHeight / 2) el.scrollIntoView({ block: 'nearest' });
    el.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const show = (index: number, el: HTMLElement) => {
    // Centred over the token, but kept inside the strip so the first and last tokens' tips show whole.
    const width = el.parentElement?.clientWidth ?? Infinity;
    const centre = el.offsetLeft + el.offsetWidth / 2;
    const left = Math.max(TOOLTIP_HALF_WIDTH, Math.min(width - TOOLTIP_HALF_WIDTH, centre));
    setHover({ index, left, top: el.offsetTop });
  };

  // One tab stop for the whole strip (the selected token, else the first); arrows move along it.
  const tabStop = selected !== null && selected >= from && selected < tokens.length ? selected : from;
  const onKeyDown = (e: React.KeyboardEvent<HTMLButtonElement>, i: number) => {
    const next = sequenceStep(e.key, i, from, tokens.length - 1);
    if (next === null) return;
    e.preventDefault();
    const strip = e.currentTarget.parentElement;
    strip?.querySelector<HTMLButtonElement>(`[data-index="${next}"]`)?.focus();
  };
  const items = [];
  for (let i = from; i < tokens.length; i++) {
    const value = values[i] ?? 0;
    const { text, breaksLine } = displayToken(tokens[i]!);
    const colors = activationColor(value, scaleMax);
    const isSpecial = special?.[i] === true;
    items.push(
      <button
        key={i}
        type="button"
        className={`token${i === selected ? ' token--selected' : ''}${isSpecial ? ' token--special' : ''}`}
        style={{ background: colors.background, color: colors.text }}
        data-testid="token"
        data-index={i}
        data-token={tokens[i]}
        data-value={value}
        data-special={isSpecial || undefined}
        aria-pressed={i === selected}
        tabIndex={i === tabStop ? 0 : -1}
        onKeyDown={(e) => onKeyDown(e, i)}
        aria-label={`${tokens[i]}${isSpecial ? ` (${SPECIAL_TOKEN_NOTE})` : ''} ${formatActivation(value)}`}
        onClick={() => onSelect(i)}
        onMouseEnter={(e) => {
          show(i, e.currentTarget);
          onHover?.(i);
        }}
        onMouseLeave={() => {
          setHover(null);
          onHover?.(null);
        }}
        onFocus={(e) => {
          show(i, e.currentTarget);
          onHover?.(i);
        }}
        onBlur={() => {
          setHover(null);
          onHover?.(null);
        }}
      >
        {text}
      </button>,
    );
    if (breaksLine) items.push(<br key={`br${i}`} />);
  }

  const hovered = hover !== null && hover.index < tokens.length ? hover : null;
  const extra = hovered !== null ? describe?.(hovered.index) : undefined;
  return (
    <div className="token-strip" data-testid="token-strip" role="group" aria-label={label} ref={strip}>
      {items}
      {hovered !== null && (
        <div
          className="token-tooltip"
          role="tooltip"
          data-testid="token-tooltip"
          style={{ left: hovered.left, top: hovered.top }}
        >
          <code className="token-tooltip__token">{quotedToken(tokens[hovered.index]!)}</code>
          {special?.[hovered.index] === true && <span className="token-tooltip__extra">{SPECIAL_TOKEN_NOTE}</span>}
          <span className="token-tooltip__value">{formatActivation(values[hovered.index] ?? 0)}</span>
          {extra !== undefined && <span className="token-tooltip__extra">{extra}</span>}
        </div>
      )}
    </div>
  );
}
