import { TokenStrip } from '../../components/tokens/TokenStrip';
import { maxAbs, strongestFeatures } from '../../state/activations';
import type { PromptActivations } from '../../worker/protocol';

export interface ReaderTextPanelProps {
  /** the reader's text encoded by the map's SAE, once computed */
  acts: PromptActivations | null;
  failed: string | null;
  enabled: boolean;
  onToggle(on: boolean): void;
  /** latents lit on the map now */
  litCount: number;
  hoveredToken: number | null;
  onHoverToken(index: number | null): void;
}

/** The text from the prompt view, beside the map: its latents are lit there; hover a token for its own. */
export function ReaderTextPanel({ acts, failed, enabled, onToggle, litCount, hoveredToken, onHoverToken }: ReaderTextPanelProps) {
  const strongest = acts ? strongestFeatures(acts.acts, acts.nTokens, acts.dSae) : null;
  return (
    <section className="panel map-text" data-testid="map-text">
      <h2 className="panel__title">Your text on the map</h2>
      <label className="map-text__toggle">
        <input type="checkbox" checked={enabled} onChange={(e) => onToggle(e.target.checked)} data-testid="map-text-toggle" /> light the latents active on it
      </label>
      {enabled && failed && <p className="error-text">{failed}</p>}
      {enabled && !failed && !acts && <p className="muted">Encoding the text from the prompt view…</p>}
      {enabled && acts && strongest && (
        <>
          <p className="muted" data-testid="map-lit-count">
            {litCount} latent{litCount === 1 ? '' : 's'} lit {hoveredToken === null ? 'across the text' : `at “${acts.tokens[hoveredToken]}”`}. Hover a token for its own.{' '}
            <a href="#/">Edit the text</a> · <a href={`#/token-map/${encodeURIComponent(acts.saeId)}`} data-testid="token-map-link">Map these tokens</a>
          </p>
          <div onMouseLeave={() => onHoverToken(null)}>
            <TokenStrip
              tokens={acts.tokens}
              values={strongest.value}
              scaleMax={maxAbs(strongest.value, 1)}
              from={1}
              selected={hoveredToken}
              onSelect={(i) => onHoverToken(i === hoveredToken ? null : i)}
              onHover={(i) => i !== null && onHoverToken(i)}
              label="Your text: hover a token to light its latents on the map"
            />
          </div>
        </>
      )}
    </section>
  );
}
