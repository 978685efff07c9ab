/**
 * sparsify and Gemma Scope files do not name the hook they read; their folder names do, in their
 * own words. These map those words to TransformerLens hook names (the ones our model exposes).
 */

/** sparsify saves one folder per hookpoint: `layers.6` is the output of block 6 (its resid_post). */
export function sparsifyHookName(path: string): string | null {
  const match = /(?:^|[/.])layers\.(\d+)\/?$/.exec(path.replace(/\/+$/, ''));
  return match ? `blocks.${match[1]}.hook_resid_post` : null;
}

/**
 * Gemma Scope repositories are `gemma-scope-<model>-<res|att|mlp>` with folders `layer_<L>/…`:
 * res reads resid_post, att reads attn.hook_z, mlp reads hook_mlp_out.
 */
export function gemmaScopeHookName(path: string): string | null {
  const layer = /layer_(\d+)/.exec(path)?.[1];
  const site = /-(res|att|mlp)(?:-|\/|$)/.exec(path)?.[1];
  if (layer === undefined || site === undefined) return null;
  return { res: `blocks.${layer}.hook_resid_post`, att: `blocks.${layer}.attn.hook_z`, mlp: `blocks.${layer}.hook_mlp_out` }[site] ?? null;
}
