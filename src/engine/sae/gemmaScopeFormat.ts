/**
 * Gemma Scope format: params.npz with W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec,
 * threshold [d_sae]. JumpReLU: relu(pre)·(pre > threshold) on pre = x·W_enc + b_enc, with no b_dec
 * subtraction. The file names no hook: it comes from the caller or from the Gemma Scope path.
 */
import { EngineError, type Sae } from '../types';
import { assembleSae, type LoadedArray } from './assembleSae';
import { gemmaScopeHookName } from './hookNameFromPath';
import { NpzFile } from './npz';
import { folderName, type SaeLoadOptions } from './saelensFormat';
import type { SaeFiles } from './saeFiles';

export const GEMMA_SCOPE_PARAMS = 'params.npz';
const ARRAYS = ['W_enc', 'W_dec', 'b_enc', 'b_dec', 'threshold'] as const;

export async function loadGemmaScope(files: SaeFiles, options: SaeLoadOptions = {}): Promise<Sae> {
  const paramsName = files.describe(GEMMA_SCOPE_PARAMS);
  const hookName = options.hookName ?? gemmaScopeHookName(files.label);
  if (!hookName) {
    throw new EngineError(
      `${files.label}: Gemma Scope files do not say which hook the SAE reads, and the path does not look like gemma-scope-…-res/layer_<N>. Choose the hook (e.g. blocks.12.hook_resid_post).`,
      paramsName,
    );
  }
  const npz = await NpzFile.open(files.get(GEMMA_SCOPE_PARAMS), files.readOptions(GEMMA_SCOPE_PARAMS));
  const arrays: Partial<Record<(typeof ARRAYS)[number], LoadedArray>> = {};
  for (const name of ARRAYS) if (npz.has(name)) arrays[name] = await npz.array(name);
  const encoderShape = arrays.W_enc?.shape;
  if (!encoderShape || encoderShape.length !== 2) {
    throw new EngineError(`${paramsName} has ${arrays.W_enc ? `a ${encoderShape?.join('×')} W_enc` : 'no W_enc'}; a Gemma Scope SAE needs a 2-D W_enc [d_in, d_sae].`, paramsName);
  }
  const [dIn, dSae] = encoderShape;
  return assembleSae(
    {
      id: options.id ?? folderName(files),
      title: options.title ?? `Gemma Scope JumpReLU SAE on ${hookName}`,
      format: 'gemmascope',
      architecture: 'jumprelu',
      hookName,
      dIn,
      dSae,
      applyBDecToInput: false,
      dimsSource: `${paramsName} (W_enc)`,
      weightsFile: paramsName,
    },
    arrays,
  );
}
