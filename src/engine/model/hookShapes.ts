/**
 * What each TransformerLens hook holds, per token, for the models we export (docs/ARCHITECTURE.md):
 * the residual stream is [d_model]; attention z and v are [n_heads, d_head], which an SAE reads
 * flattened to n_heads·d_head; the attention pattern is per head and per source position, so no
 * SAE reads it.
 */
type HookKind = 'resid' | 'attn_heads' | 'attn_pattern' | 'unknown';

function hookKind(hookName: string): HookKind {
  if (/^blocks\.\d+\.hook_resid_(pre|mid|post)$/.test(hookName)) return 'resid';
  if (/^blocks\.\d+\.attn\.hook_(z|v|q|k)$/.test(hookName)) return 'attn_heads';
  if (/^blocks\.\d+\.attn\.hook_(pattern|attn_scores)$/.test(hookName)) return 'attn_pattern';
  return 'unknown';
}

/** The sizes that fix how wide a hook is, as manifest.json names them. */
interface ModelWidths {
  d_model: number;
  n_heads: number;
  d_head: number;
}

/** Floats per token at `hookName` (what an SAE's d_in must be), or null where that is not fixed. */
export function hookWidth(model: ModelWidths, hookName: string): number | null {
  switch (hookKind(hookName)) {
    case 'resid':
      return model.d_model;
    case 'attn_heads':
      return model.n_heads * model.d_head;
    default:
      return null;
  }
}

/** The block a hook name belongs to ("blocks.2.attn.hook_z" → 2), or null. */
export function layerOfHook(hookName: string): number | null {
  const m = /^blocks\.(\d+)\./.exec(hookName);
  return m ? Number(m[1]) : null;
}
