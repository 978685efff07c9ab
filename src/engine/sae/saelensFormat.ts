/**
 * SAELens format: cfg.json + sae_weights.safetensors (W_enc [d_in, d_sae], W_dec [d_sae, d_in],
 * b_enc, b_dec, plus threshold / b_gate / b_mag / r_mag by architecture).
 *
 * Three generations of cfg.json are read: SAELens ≤ 3 (`hook_point`, `activation_fn_str`,
 * `activation_fn_kwargs.k`, no `architecture`), SAELens 4–5 and our bundle (`architecture`,
 * `hook_name`, `k`), and SAELens 6 (`metadata.hook_name`).
 */
import { EngineError, type Sae, type SaeArchitecture } from '../types';
import { assembleSae, type LoadedArray, parseArchitecture } from './assembleSae';
import { transpose } from './matrix';
import { readJson, type SaeFiles } from './saeFiles';
import { SafetensorsFile } from './safetensors';

export const SAELENS_WEIGHTS = 'sae_weights.safetensors';
const TENSORS = ['W_enc', 'W_dec', 'b_enc', 'b_dec', 'threshold', 'b_gate', 'b_mag', 'r_mag'] as const;

export interface SaeLoadOptions {
  /** defaults to the folder's name */
  id?: string;
  /** defaults to "<architecture> SAE on <hook>" */
  title?: string;
  /** the hook the SAE reads, where the files do not say (sparsify, Gemma Scope) or to override them */
  hookName?: string;
}

type SaeLensConfig = Pick<Sae, 'architecture' | 'hookName' | 'dIn' | 'dSae' | 'k' | 'applyBDecToInput'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads what the engine needs from a SAELens cfg.json, refusing settings it cannot honour. */
function parseSaeLensConfig(cfg: Record<string, unknown>, source: string, hookOverride?: string): SaeLensConfig {
  const metadata = isRecord(cfg.metadata) ? cfg.metadata : {};
  const kwargs = isRecord(cfg.activation_fn_kwargs) ? cfg.activation_fn_kwargs : {};
  const refuse = (message: string): never => {
    throw new EngineError(`${source} ${message}`, source);
  };

  const dIn = cfg.d_in;
  const dSae = cfg.d_sae;
  if (typeof dIn !== 'number' || typeof dSae !== 'number') refuse(`needs numeric d_in and d_sae (found ${JSON.stringify(dIn)} and ${JSON.stringify(dSae)}).`);

  const hook = hookOverride ?? cfg.hook_name ?? metadata.hook_name ?? cfg.hook_point;
  if (typeof hook !== 'string' || hook === '') refuse('names no hook (hook_name, metadata.hook_name or hook_point); say which hook the SAE reads.');

  const activationFn = cfg.activation_fn_str ?? cfg.activation_fn;
  let architecture: SaeArchitecture;
  if (cfg.architecture === undefined || (cfg.architecture === 'standard' && activationFn === 'topk')) {
    // Before SAELens 4, TopK SAEs were "standard" SAEs with a topk activation function.
    if (activationFn === undefined || activationFn === 'relu') architecture = 'standard';
    else if (activationFn === 'topk') architecture = 'topk';
    else return refuse(`uses activation function ${JSON.stringify(activationFn)}; only relu and topk are supported for configs without an architecture.`);
  } else {
    architecture = parseArchitecture(cfg.architecture, source);
  }

  const rawK = cfg.k ?? kwargs.k;
  if (rawK !== undefined && rawK !== null && typeof rawK !== 'number') refuse(`has k ${JSON.stringify(rawK)}, not a number.`);
  const k = typeof rawK === 'number' ? rawK : undefined;

  const normalize = cfg.normalize_activations;
  if (!(normalize === undefined || normalize === null || normalize === false || normalize === 'none')) {
    refuse(
      `sets normalize_activations to ${JSON.stringify(normalize)}; this explorer feeds raw activations and supports only "none". ` +
        'Fold the normalisation into the weights (SAELens: fold_activation_norm_scaling_factor) and save again.',
    );
  }
  if (cfg.finetuning_scaling_factor === true) refuse('uses a finetuning scaling factor; fold it into W_dec and save again.');
  if (cfg.rescale_acts_by_decoder_norm === true) refuse('sets rescale_acts_by_decoder_norm, which this explorer does not implement; fold the decoder norms into W_enc/W_dec and save again.');
  const head = cfg.hook_head_index ?? metadata.hook_head_index ?? cfg.hook_point_head_index;
  if (head !== undefined && head !== null) refuse(`reads only head ${JSON.stringify(head)} of its hook, which this explorer does not support.`);

  const apply = cfg.apply_b_dec_to_input;
  if (apply !== undefined && typeof apply !== 'boolean') refuse(`has apply_b_dec_to_input ${JSON.stringify(apply)}, not true/false.`);
  return {
    architecture,
    hookName: hook as string,
    dIn: dIn as number,
    dSae: dSae as number,
    ...(k !== undefined ? { k } : {}),
    // Matching pursuit always starts from the residual x − b_dec; SAELens defaults the flag to true.
    applyBDecToInput: architecture === 'matching_pursuit' ? true : apply !== false,
  };
}

export function folderName(files: SaeFiles): string {
  return files.label.replace(/\/+$/, '').split('/').pop() || files.label;
}

export async function loadSaeLens(files: SaeFiles, options: SaeLoadOptions = {}, cfgJson?: Record<string, unknown>): Promise<Sae> {
  const cfgName = files.describe('cfg.json');
  const cfg = parseSaeLensConfig(cfgJson ?? (await readJson(files, 'cfg.json')), cfgName, options.hookName);
  const weightsName = files.describe(SAELENS_WEIGHTS);
  const file = await SafetensorsFile.open(files.get(SAELENS_WEIGHTS), files.readOptions(SAELENS_WEIGHTS));
  const arrays: Partial<Record<(typeof TENSORS)[number], LoadedArray>> = {};
  for (const name of TENSORS) if (file.has(name)) arrays[name] = await file.float32(name);
  file.close();

  // Matching pursuit scores with W_dec alone: where W_enc is not saved it is W_decᵀ, with no bias.
  if (cfg.architecture === 'matching_pursuit' && !arrays.W_enc && arrays.W_dec?.shape.length === 2) {
    arrays.W_enc = { shape: [arrays.W_dec.shape[1], arrays.W_dec.shape[0]], data: transpose(arrays.W_dec.data, arrays.W_dec.shape[0], arrays.W_dec.shape[1]) };
  }
  if (cfg.architecture === 'matching_pursuit' && !arrays.b_enc) arrays.b_enc = { shape: [cfg.dSae], data: new Float32Array(cfg.dSae) };
  // Gated SAEs have no b_enc: the gate's bias plays its part (pre-activation = x W_enc + b_gate).
  if (cfg.architecture === 'gated' && !arrays.b_enc && arrays.b_gate) arrays.b_enc = arrays.b_gate;

  const id = options.id ?? folderName(files);
  return assembleSae(
    {
      id,
      title: options.title ?? `${cfg.architecture} SAE on ${cfg.hookName}`,
      format: 'saelens',
      ...cfg,
      dimsSource: cfgName,
      weightsFile: weightsName,
    },
    arrays,
  );
}
