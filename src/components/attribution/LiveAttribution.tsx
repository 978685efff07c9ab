import { errorMessage } from '../../errors/engineError';
import { usePromise } from '../../hooks/usePromise';
import { request } from '../../state/session';
import { AttributionView, type AttributionViewProps } from './AttributionView';

export interface AttributionQuery {
  text: string;
  saeId: string;
  feature: number;
  /** destination token (0 is BOS) */
  dest: number;
  /** the worker lane, so two views never drop each other's requests */
  lane: string;
}

/** Computes, in the worker, which heads and earlier tokens wrote a feature at one token, and shows it. */
export function LiveAttribution({ query, tokens, special, headHref }: { query: AttributionQuery } & Omit<AttributionViewProps, 'attribution'>) {
  const { text, saeId, feature, dest, lane } = query;
  const state = usePromise(() => request('attribution', { text, saeId, feature, dest, lane }), [text, saeId, feature, dest, lane]);
  if (state.status === 'failed') {
    return (
      <p className="inline-error" data-testid="attribution-error">
        {errorMessage(state.error)}
      </p>
    );
  }
  // null: a newer request of the lane took its place; its answer is on the way
  if (state.status === 'pending' || state.value === null) return <p className="muted">Splitting feature {feature} by head…</p>;
  return <AttributionView attribution={state.value} tokens={tokens} special={special} headHref={headHref} />;
}
