/**
 * A prompt's activations on one SAE, as the prompt view shows them: the worker's `analyze` answer,
 * and the build's precomputed preview of the default text (scripts/precompute-prompt-preview.ts),
 * so that the two cannot differ.
 */
import type { Engine } from '../engine/engine';
import type { LoadProgress } from '../engine/types';
import type { PromptActivations } from './protocol';

export async function analyzePrompt(engine: Engine, text: string, saeId: string, onProgress?: (p: LoadProgress) => void): Promise<PromptActivations> {
  const { ids, tokens, special, truncated, nCtx } = engine.tokenize(text);
  const computed = await engine.featureActs(ids, saeId, onProgress);
  // A copy we own, so transferring it can never detach an array the engine keeps.
  const acts = computed.acts.slice();
  return { text, saeId, ids, tokens, special, truncated, nCtx, nTokens: computed.nTokens, dSae: computed.dSae, acts };
}
