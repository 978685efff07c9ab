import { interpolateBlues } from 'd3';
import { displayToken, SPECIAL_TOKEN_NOTE } from '../../components/tokens/tokenDisplay';

export interface SourceTextProps {
  tokens: readonly string[];
  special: readonly boolean[];
  /** the destination's attention over every source (zero past the destination) */
  weights: ArrayLike<number>;
  dest: number;
  onHoverToken(index: number): void;
}

/**
 * The text with each token shaded by the attention the destination token pays it (as CircuitsVis's
 * attention view does); tokens after the destination are greyed, the mask hides them. Hover (or
 * focus) a token to make it the destination.
 */
export function SourceText({ tokens, special, weights, dest, onHoverToken }: SourceTextProps) {
  return (
    <div className="source-text" data-testid="attention-text">
      {tokens.map((t, s) => {
        const w = weights[s] ?? 0;
        const masked = s > dest;
        const shade = Math.sqrt(Math.max(0, w));
        return (
          <span
            key={s}
            tabIndex={0}
            className={`source-text__token${s === dest ? ' source-text__token--dest' : ''}${masked ? ' source-text__token--masked' : ''}${special[s] ? ' source-text__token--special' : ''}`}
            style={masked ? undefined : { background: interpolateBlues(shade), color: shade > 0.55 ? '#ffffff' : '#1d2330' }}
            title={`${special[s] ? `${SPECIAL_TOKEN_NOTE}\n` : ''}token ${s}: ${masked ? 'after the destination (masked)' : `weight ${w.toFixed(3)}`}`}
            data-weight={masked ? undefined : w}
            onMouseEnter={() => onHoverToken(s)}
            onFocus={() => onHoverToken(s)}
          >
            {displayToken(t).text}
          </span>
        );
      })}
    </div>
  );
}
