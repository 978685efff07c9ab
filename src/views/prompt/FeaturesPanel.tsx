import { useMemo } from 'react';
import { LiveAttribution } from '../../components/attribution/LiveAttribution';
import { displayToken, quotedToken, SPECIAL_TOKEN_NOTE } from '../../components/tokens/tokenDisplay';
import { activeCountAt, maxAbs, topFeaturesAt, topFeaturesOverall } from '../../state/activations';
import { useLoadStore } from '../../state/loadStore';
import { usePromptStore } from '../../state/promptStore';
import { headHref } from '../matchRoute';
import { promptStep } from './usePromptAddress';
import type { PromptActivations } from '../../worker/protocol';
import { FeatureRow } from './FeatureRow';
import './featuresPanel.css';

/** How many features a list shows. */
export const FEATURE_LIST_LENGTH = 20;

export interface FeaturesPanelProps {
  result: PromptActivations;
  /** selected token index (0 is BOS), or null for the whole text */
  token: number | null;
  colorFeature: number | null;
  onColorBy(feature: number | null): void;
  onClearToken(): void;
}

/** The selected token's top features; with no token selected, the strongest features in the text. */
export function FeaturesPanel({ result, token, colorFeature, onColorBy, onClearToken }: FeaturesPanelProps) {
  const { acts, nTokens, dSae, saeId, tokens, special } = result;
  const rows = useMemo(
    () =>
      token === null
        ? topFeaturesOverall(acts, nTokens, dSae, FEATURE_LIST_LENGTH, 1)
        : topFeaturesAt(acts, dSae, token, FEATURE_LIST_LENGTH).map((f) => ({ ...f, token })),
    [acts, nTokens, dSae, token],
  );
  const activeCount = useMemo(() => (token === null ? null : activeCountAt(acts, dSae, token)), [acts, dSae, token]);
  const scaleMax = maxAbs(rows.map((r) => r.value));
  const sae = useLoadStore((s) => s.saes.find((x) => x.id === saeId));
  // Features of attention and residual SAEs split by head; MLP outputs are not written by heads.
  const splits = sae !== undefined && sae.kind !== 'mlp' && sae.architecture !== 'matching_pursuit';
  // The feature split by head (in the prompt store, so in the address: `attr=`), while the token lists it.
  const attributed = usePromptStore((s) => s.attributedFeature);
  const shown = attributed !== null && rows.some((r) => r.index === attributed) ? attributed : null;

  return (
    <aside className={`panel features-panel${token === null ? '' : ' features-panel--token'}`} data-testid="features-panel" aria-live="polite">
      <header className="features-panel__header">
        {token === null ? (
          <>
            <h2>Strongest features in this text</h2>
            <p className="muted">Click a token to see the features active on it.</p>
          </>
        ) : (
          <>
            <h2>
              Token {token}{' '}
              <code
                className={`token-chip${special[token] ? ' token-chip--special' : ''}`}
                data-special={special[token] || undefined}
                title={special[token] ? SPECIAL_TOKEN_NOTE : undefined}
              >
                {displayToken(tokens[token] ?? '').text}
              </code>
            </h2>
            <p className="muted">
              {activeCount} active feature{activeCount === 1 ? '' : 's'}
              {activeCount !== null && activeCount > rows.length ? `, top ${rows.length} shown` : ''} ·{' '}
              <button type="button" className="link-button" onClick={onClearToken}>
                whole text
              </button>
            </p>
          </>
        )}
      </header>
      {splits && token !== null && token > 0 && (
        <section className="features-panel__attribution" aria-label="Who wrote the feature" data-testid="prompt-attribution">
          {shown === null ? (
            <p className="muted">Press ⤶ beside a feature to see which heads{sae.kind === 'attn' ? ' and earlier tokens' : ''} wrote it on this token.</p>
          ) : (
            <LiveAttribution
              query={{ text: result.text, saeId, feature: shown, dest: token, lane: 'prompt-attribution' }}
              tokens={tokens}
              special={special}
              headHref={(l, h) => headHref(l, h, sae.source === 'user' ? saeId : undefined)}
            />
          )}
        </section>
      )}
      {rows.length === 0 ? (
        <p className="empty">No feature is active {token === null ? 'in this text' : 'on this token'}.</p>
      ) : (
        <ol className="feature-list" data-testid="feature-list">
          {rows.map((r) => (
            <FeatureRow
              key={r.index}
              saeId={saeId}
              index={r.index}
              value={r.value}
              scaleMax={scaleMax}
              coloring={colorFeature === r.index}
              onColorBy={onColorBy}
              note={token === null ? `on ${quotedToken(tokens[r.token] ?? '')}` : undefined}
              {...(splits && token !== null && token > 0
                ? { attributing: shown === r.index, onAttribute: () => promptStep(() => usePromptStore.getState().attribute(shown === r.index ? null : r.index)) }
                : {})}
            />
          ))}
        </ol>
      )}
    </aside>
  );
}

/** Holds the panel's place (so the layout does not jump) until there are features to list. */
export function FeaturesPlaceholder() {
  return (
    <aside className="panel features-panel features-panel--empty">
      <header className="features-panel__header">
        <h2>Features</h2>
        <p className="muted">
          Once your text is analysed, the strongest features appear here; click a token to list the features active on
          it.
        </p>
      </header>
    </aside>
  );
}
