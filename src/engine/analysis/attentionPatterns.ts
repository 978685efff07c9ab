/**
 * Every head's attention pattern on one text, for the attention viewer: one model run returns
 * hook_pattern of every block, [n_heads, T_dest, T_src] each, laid end to end.
 */
import type { Engine } from '../engine';
import { EngineError } from '../../errors/engineError';

export interface AttentionPatterns {
  /** display strings, BOS first */
  tokens: string[];
  /** which tokens are special (BOS, end-of-text), to mark them */
  special: boolean[];
  truncated: boolean;
  nLayers: number;
  nHeads: number;
  /** tokens, BOS included */
  T: number;
  /** [n_layers, n_heads, T_dest, T_src]; row d sums to 1 over sources 0 … d (the causal mask zeroes the rest) */
  patterns: Float32Array;
}

export async function attentionPatterns(engine: Engine, text: string): Promise<AttentionPatterns> {
  const { n_layers: nLayers, n_heads: nHeads } = engine.manifest.model;
  const { ids, tokens, special, truncated } = engine.tokenize(text);
  if (ids.length < 2) throw new EngineError('The text has no token to attend from: type at least one word.', undefined, 'invalid');
  const hooks = Array.from({ length: nLayers }, (_, l) => `blocks.${l}.attn.hook_pattern`);
  const missing = hooks.filter((h) => !engine.manifest.model.hooks.includes(h));
  if (missing.length) throw new EngineError(`This model does not output ${missing.join(', ')}, which the attention viewer draws. Rebuild the bundle.`);
  const out = await engine.run(ids, hooks);
  const T = ids.length;
  const block = nHeads * T * T;
  const patterns = new Float32Array(nLayers * block);
  hooks.forEach((h, l) => {
    const data = out.hooks[h]?.data;
    if (!(data instanceof Float32Array) || data.length !== block) throw new EngineError(`The model returned no [${nHeads}, ${T}, ${T}] pattern for ${h}.`);
    patterns.set(data, l * block);
  });
  return { tokens, special, truncated, nLayers, nHeads, T, patterns };
}
