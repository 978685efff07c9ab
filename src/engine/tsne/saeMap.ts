/**
 * The latent map of one SAE, or of several read off the same hook: t-SNE of their decoder
 * directions. The worker's `tsne` request (live, in the browser) and the bundle's precompute call
 * these same functions, so a recomputed map and a precomputed one differ only by the settings.
 */
import type { LatentMap } from '../../dashboardData/latentMap';
import { EngineError } from '../../errors/engineError';
import type { Engine } from '../engine';
import { DEFAULT_TSNE, tsneOfDirections, type TsneOptions, type TsneSettings } from './tsne';

export async function saeLatentMap(engine: Engine, saeId: string, settings: Partial<TsneSettings> = {}, options: TsneOptions = {}): Promise<LatentMap> {
  const sae = await engine.sae(saeId);
  const full = { ...DEFAULT_TSNE, ...settings };
  const { xy, kl, iterations } = await tsneOfDirections(sae.weights.W_dec, sae.dSae, sae.dIn, `the decoder of "${saeId}"`, full, options);
  return { n: sae.dSae, xy, kl, perplexity: full.perplexity, iterations, seed: full.seed };
}

/** One map of several SAEs' latents: `starts[s]` is where SAE s's latents begin in `xy`. */
export interface JointLatentMap extends LatentMap {
  saeIds: string[];
  starts: number[];
}

export async function jointLatentMap(engine: Engine, saeIds: string[], settings: Partial<TsneSettings> = {}, options: TsneOptions = {}): Promise<JointLatentMap> {
  if (saeIds.length < 2) throw new EngineError('A joint map needs at least two SAEs.', saeIds.join(', '));
  const saes = await Promise.all(saeIds.map((id) => engine.sae(id)));
  const dIn = saes[0]!.dIn;
  const hook = saes[0]!.hookName;
  for (const sae of saes) {
    if (sae.hookName !== hook || sae.dIn !== dIn) {
      throw new EngineError(`"${sae.id}" reads ${sae.hookName} and "${saes[0]!.id}" reads ${hook}: a joint map is of SAEs that read the same hook.`, sae.id);
    }
  }
  const starts: number[] = [];
  let n = 0;
  for (const sae of saes) {
    starts.push(n);
    n += sae.dSae;
  }
  const rows = new Float32Array(n * dIn);
  saes.forEach((sae, s) => rows.set(sae.weights.W_dec, starts[s]! * dIn));
  const full = { ...DEFAULT_TSNE, ...settings };
  const { xy, kl, iterations } = await tsneOfDirections(rows, n, dIn, `the decoders of ${saeIds.map((id) => `"${id}"`).join(', ')}`, full, options);
  return { n, xy, kl, perplexity: full.perplexity, iterations, seed: full.seed, saeIds, starts };
}
