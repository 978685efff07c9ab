/**
 * The token map (the vSAE paper's view): a t-SNE of the tokens of a text by their sparse codes, so
 * tokens the SAE reads alike sit together whatever their spelling. BOS is left out (its codes say
 * nothing of the text), and so are tokens on which no latent fires (they have no direction).
 */
import { EngineError } from '../../errors/engineError';
import type { FeatureActs } from '../engine';
import { MIN_POINTS } from './directions';
import { DEFAULT_TSNE, tsneOfDirections, type TsneOptions, type TsneSettings } from './tsne';

export interface TokenMap {
  /** [m, 2], one row per mapped token */
  xy: Float32Array;
  kl: number;
  perplexity: number;
  /** each mapped token's position in `tokens` */
  positions: number[];
  /** every token of the text, BOS first, as displayed */
  tokens: string[];
}

/** `tokens` and `codes` ([nTokens, d_sae], BOS first) are a text as the engine tokenised and encoded it. */
export async function tokenMap(tokens: string[], codes: FeatureActs, saeId: string, settings: Partial<TsneSettings> = {}, options: TsneOptions = {}): Promise<TokenMap> {
  const { acts, nTokens, dSae } = codes;
  const positions: number[] = [];
  for (let t = 1; t < nTokens; t++) if (acts.subarray(t * dSae, (t + 1) * dSae).some((v) => v !== 0)) positions.push(t);
  if (positions.length < MIN_POINTS) {
    throw new EngineError(`The text has ${positions.length} token${positions.length === 1 ? '' : 's'} on which a latent of "${saeId}" fires: a token map needs at least ${MIN_POINTS}. Type a longer text.`, 'the prompt');
  }
  const rows = new Float32Array(positions.length * dSae);
  positions.forEach((t, r) => rows.set(acts.subarray(t * dSae, (t + 1) * dSae), r * dSae));
  // A short text cannot support the latents' perplexity: each token calibrates to a third of the others at most.
  const perplexity = Math.min(settings.perplexity ?? DEFAULT_TSNE.perplexity, Math.max(2, Math.floor((positions.length - 1) / 3)));
  const { xy, kl } = await tsneOfDirections(rows, positions.length, dSae, `the codes of the text's tokens`, { ...settings, perplexity }, options);
  return { xy, kl, perplexity, positions, tokens };
}
