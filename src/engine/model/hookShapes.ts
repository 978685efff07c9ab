/**
 * What each TransformerLens hook holds, per token, for the models we export (docs/ARCHITECTURE.md):
 * the residual stream and what the MLP writes into it are [d_model]; attention z and v are
 * [n_heads, d_head], which an SAE reads flattened to n_heads·d_head; the attention pattern is per
 * head and per source position, so no SAE reads it.
 */
type HookKind = 'resid' | 'attn_heads' | 'attn_pattern' | 'unknown';

function hookKind(hookName: string): HookKind {
  if (/^blocks\.\d+\.hook_(resid_(pre|mid|post)|mlp_out|attn_out)$/.test(hookName)) return 'resid';
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

/** Where an SAE reads, as the views group SAEs: the residual stream, an attention layer's output, an MLP's output. */
export const SAE_KINDS = ['resid', 'attn', 'mlp'] as const;
export type SaeKind = (typeof SAE_KINDS)[number];

/** The kind of SAE reading `hookName` ("blocks.2.attn.hook_z" → attn, "blocks.2.hook_mlp_out" → mlp). */
export function saeKindOfHook(hookName: string): SaeKind {
  if (hookName.includes('.attn.') || hookName.endsWith('.hook_attn_out')) return 'attn';
  if (hookName.endsWith('.hook_mlp_out')) return 'mlp';
  return 'resid';
}

/** Where the forward pass reads `hookName`, as a number that grows along it; a block's resid_post is its next block's resid_pre. */
export function hookOrder(hookName: string): number {
  const layer = layerOfHook(hookName) ?? 0;
  const at: [RegExp, number][] = [
    [/\.hook_resid_pre$/, 0],
    [/\.attn\.hook_(q|k|v)$/, 1],
    [/\.attn\.hook_(pattern|attn_scores)$/, 2],
    [/\.attn\.hook_z$/, 3],
    [/\.hook_attn_out$/, 4],
    [/\.hook_resid_mid$/, 5],
    [/\.hook_mlp_out$/, 6],
    [/\.hook_resid_post$/, 10],
  ];
  const step = at.find(([re]) => re.test(hookName))?.[1] ?? 0;
  return layer * 10 + step;
}
