/**
 * Readable, distinct ids for the reader's SAEs: the folder's name where the files came in one
 * ("my-standard", "layers.2"), else what the SAE is ("sparsify-L2-resid-topk"); "-2", "-3", … where
 * the id is taken, so that several SAEs from same-named folders or loose files can be loaded at once.
 */
import { layerOfHook } from '../engine/model/hookShapes';
import type { Sae } from '../engine/types';

/** Where the SAE reads, in a word: resid_post → "resid", attn.hook_z → "attn", else the hook's last part. */
function site(hookName: string): string {
  if (/\.hook_resid_post$/.test(hookName)) return 'resid';
  if (/\.attn\.hook_z$/.test(hookName)) return 'attn';
  return hookName.split('.').pop()!.replace(/^hook_/, '');
}

/** What the SAE is, as an id: format, layer, site, architecture. */
export function describedId(sae: Pick<Sae, 'format' | 'architecture' | 'hookName'>): string {
  const layer = layerOfHook(sae.hookName);
  return [sae.format, layer === null ? null : `L${layer}`, site(sae.hookName), sae.architecture].filter((p) => p !== null).join('-');
}

export function userSaeId(sae: Pick<Sae, 'format' | 'architecture' | 'hookName'>, folder: string | null, taken: ReadonlySet<string>): string {
  const base = (folder ?? '').trim().replace(/\s+/g, '-') || describedId(sae);
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
