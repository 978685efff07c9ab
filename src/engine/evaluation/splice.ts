/**
 * Feeds for the model's additive `delta.*` inputs that put something else in a hook's place:
 * an SAE's reconstruction (splicing) or zeros (ablation). Every sequence's position 0 (BOS) is
 * left as it is, as SAEs are neither trained nor evaluated there.
 */

/** What to add to `acts` [B·T·width] so that the hook holds `recon` instead, BOS rows excepted. */
export function spliceDelta(acts: Float32Array, recon: Float32Array, T: number, width: number): Float32Array {
  return keepBos(
    recon.map((v, i) => v - acts[i]!),
    T,
    width,
  );
}

/** What to add to `acts` [B·T·width] so that the hook holds zeros, BOS rows excepted. */
export function ablationDelta(acts: Float32Array, T: number, width: number): Float32Array {
  return keepBos(
    acts.map((v) => -v),
    T,
    width,
  );
}

function keepBos(delta: Float32Array, T: number, width: number): Float32Array {
  for (let row = 0; row < delta.length; row += T * width) delta.fill(0, row, row + width);
  return delta;
}
