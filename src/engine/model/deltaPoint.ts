/**
 * Where an additive delta acts at a hook. The exported model takes a `delta.<hook>` input at each
 * of its steering points (manifest `steer_inputs`), added before the hook is read. A block's
 * `hook_resid_post` is the next block's `hook_resid_pre` (the same point of the residual stream),
 * so a delta meant for it goes to that input; only the last block's resid_post has its own.
 */
import { layerOfHook } from './hookShapes';

/** The steering input that adds at `hookName`, or null when the model offers none there. */
export function deltaPointFor(hookName: string, steerInputs: readonly string[]): string | null {
  if (steerInputs.includes(hookName)) return hookName;
  const layer = layerOfHook(hookName);
  if (layer !== null && hookName === `blocks.${layer}.hook_resid_post`) {
    const next = `blocks.${layer + 1}.hook_resid_pre`;
    if (steerInputs.includes(next)) return next;
  }
  return null;
}
