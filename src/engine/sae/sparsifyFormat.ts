/**
 * EleutherAI sparsify format: cfg.json (`d_in`, `k`, `expansion_factor` / `num_latents`,
 * `skip_connection`, `transcode`) + sae.safetensors (`encoder.weight` [d_sae, d_in] — an
 * nn.Linear, so the transpose of SAELens's W_enc — `encoder.bias`, `W_dec`, `b_dec`, optional
 * `W_skip` [d_in, d_in] applied as x·W_skipᵀ).
 *
 * sparsify encodes topk(relu((x − b_dec)·encoder.weightᵀ + encoder.bias)), which keeps the same
 * latents as relu(topk(pre)): the engine runs it as a topk SAE. The cfg names no hook: it comes
 * from the caller or from the folder name (`layers.6`).
 */
import { EngineError, type Sae } from '../types';
import { assembleSae } from './assembleSae';
import { sparsifyHookName } from './hookNameFromPath';
import { transpose } from './matrix';
import { folderName, type SaeLoadOptions } from './saelensFormat';
import { readJson, type SaeFiles } from './saeFiles';
import { SafetensorsFile } from './safetensors';

export const SPARSIFY_WEIGHTS = 'sae.safetensors';

export async function loadSparsify(files: SaeFiles, options: SaeLoadOptions = {}, cfgJson?: Record<string, unknown>): Promise<Sae> {
  const cfgName = files.describe('cfg.json');
  const cfg = cfgJson ?? (await readJson(files, 'cfg.json'));
  const refuse = (message: string): never => {
    throw new EngineError(`${cfgName} ${message}`, cfgName);
  };
  const { d_in: dIn, k, expansion_factor: expansion, num_latents: numLatents } = cfg;
  if (typeof dIn !== 'number') refuse(`needs a numeric d_in (found ${JSON.stringify(dIn)}).`);
  if (typeof k !== 'number') refuse(`needs a numeric k (found ${JSON.stringify(k)}).`);
  const dSae = typeof numLatents === 'number' && numLatents > 0 ? numLatents : typeof expansion === 'number' ? (dIn as number) * expansion : NaN;
  if (!Number.isSafeInteger(dSae)) refuse('gives neither num_latents nor expansion_factor, so the number of latents is unknown.');

  const hookName = options.hookName ?? sparsifyHookName(files.label);
  if (!hookName) {
    throw new EngineError(
      `${files.label}: sparsify files do not say which hook the SAE reads, and the folder name is not "layers.<N>". Choose the hook (e.g. blocks.6.hook_resid_post).`,
      cfgName,
    );
  }

  const weightsName = files.describe(SPARSIFY_WEIGHTS);
  const file = await SafetensorsFile.open(files.get(SPARSIFY_WEIGHTS), files.readOptions(SPARSIFY_WEIGHTS));
  if (!file.has('W_dec')) throw new EngineError(`${weightsName} has no W_dec (an SAE trained without a decoder cannot reconstruct).`, weightsName);
  const encoder = await file.float32('encoder.weight');
  if (encoder.shape.length !== 2 || encoder.shape[0] !== dSae || encoder.shape[1] !== dIn) {
    throw new EngineError(
      `${cfgName} has d_in ${dIn} and ${dSae} latents, but encoder.weight in ${weightsName} is ${encoder.shape.join('×')} (expected ${dSae}×${dIn}) — is this the right file?`,
      weightsName,
    );
  }
  const arrays = {
    W_enc: { shape: [dIn as number, dSae], data: transpose(encoder.data, dSae, dIn as number) },
    b_enc: await file.float32('encoder.bias'),
    W_dec: await file.float32('W_dec'),
    b_dec: await file.float32('b_dec'),
    ...(file.has('W_skip') ? { W_skip: await file.float32('W_skip') } : {}),
  };
  file.close();
  return assembleSae(
    {
      id: options.id ?? folderName(files),
      title: options.title ?? `sparsify TopK SAE (k=${k}) on ${hookName}`,
      format: 'sparsify',
      architecture: 'topk',
      hookName,
      dIn: dIn as number,
      dSae,
      k: k as number,
      // A transcoder reads the MLP input as is and predicts its output: no b_dec subtraction.
      applyBDecToInput: cfg.transcode !== true,
      dimsSource: cfgName,
      weightsFile: weightsName,
    },
    arrays,
  );
}
