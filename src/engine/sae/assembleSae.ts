/**
 * The checks every loader ends with: the right tensors for the architecture, shapes that agree
 * with d_in / d_sae, finite values, a usable k. Whatever the format, a bad SAE is refused here
 * with a message that names the file and the mismatch.
 */
import { EngineError, type Sae, type SaeArchitecture, type SaeWeights } from '../types';

export const ARCHITECTURES: readonly SaeArchitecture[] = ['standard', 'topk', 'batchtopk', 'jumprelu', 'gated', 'abstopk', 'matching_pursuit'];

/** A weight as read from a file, before it is checked. */
export interface LoadedArray {
  shape: number[];
  data: Float32Array;
}

/** Everything about an SAE but its weights, and where it was read from. */
export interface SaeDescription extends Omit<Sae, 'weights'> {
  /** where d_in / d_sae came from, for messages: "cfg.json", or the weights file itself */
  dimsSource: string;
  /** the weights file, for messages */
  weightsFile: string;
}

type WeightName = keyof SaeWeights;

const REQUIRED: Record<SaeArchitecture, WeightName[]> = {
  standard: ['W_enc', 'W_dec', 'b_enc', 'b_dec'],
  topk: ['W_enc', 'W_dec', 'b_enc', 'b_dec'],
  abstopk: ['W_enc', 'W_dec', 'b_enc', 'b_dec'],
  matching_pursuit: ['W_enc', 'W_dec', 'b_enc', 'b_dec'],
  batchtopk: ['W_enc', 'W_dec', 'b_enc', 'b_dec', 'threshold'],
  jumprelu: ['W_enc', 'W_dec', 'b_enc', 'b_dec', 'threshold'],
  gated: ['W_enc', 'W_dec', 'b_gate', 'b_mag', 'r_mag', 'b_dec', 'b_enc'],
};

const NEEDS_K: ReadonlySet<SaeArchitecture> = new Set(['topk', 'abstopk', 'matching_pursuit']);

function expectedShape(name: WeightName, architecture: SaeArchitecture, dIn: number, dSae: number): number[] {
  switch (name) {
    case 'W_enc':
      return [dIn, dSae];
    case 'W_dec':
      return [dSae, dIn];
    case 'b_dec':
      return [dIn];
    case 'W_skip':
      return [dIn, dIn];
    case 'threshold':
      return architecture === 'batchtopk' ? [1] : [dSae];
    default:
      return [dSae];
  }
}

const shapeText = (shape: number[]) => (shape.length ? shape.join('×') : 'a scalar');

export function assembleSae(description: SaeDescription, arrays: Partial<Record<WeightName, LoadedArray>>): Sae {
  const { architecture, dIn, dSae, weightsFile, dimsSource } = description;
  if (!Number.isSafeInteger(dIn) || dIn <= 0 || !Number.isSafeInteger(dSae) || dSae <= 0) {
    throw new EngineError(`${dimsSource} gives d_in ${dIn} and d_sae ${dSae}; both must be positive integers.`, dimsSource);
  }
  if (architecture === 'batchtopk' && arrays.threshold) arrays.threshold = scalarThreshold(arrays.threshold, dSae, weightsFile);
  const weights: Partial<SaeWeights> = {};
  for (const name of [...REQUIRED[architecture], 'W_skip'] as WeightName[]) {
    const array = arrays[name];
    if (!array) {
      if (name === 'W_skip') continue;
      throw new EngineError(`${weightsFile} has no ${name}, which a ${architecture} SAE needs — is the architecture in the config right?`, weightsFile);
    }
    const want = expectedShape(name, architecture, dIn, dSae);
    // A scalar stored as shape [] is the same single value as shape [1].
    const got = array.shape.length === 0 && want.length === 1 && want[0] === 1 ? [1] : array.shape;
    if (got.length !== want.length || got.some((n, i) => n !== want[i])) {
      throw new EngineError(
        `${dimsSource} has d_in ${dIn} and d_sae ${dSae}, but ${name} in ${weightsFile} is ${shapeText(array.shape)} ` +
          `(expected ${shapeText(want)}) — is this the right file?`,
        weightsFile,
      );
    }
    checkFinite(array.data, name, weightsFile);
    weights[name] = array.data;
  }
  const k = description.k;
  if (NEEDS_K.has(architecture) || k !== undefined) {
    if (k === undefined || !Number.isSafeInteger(k) || k < 1 || k > dSae) {
      throw new EngineError(`${dimsSource}: a ${architecture} SAE needs k between 1 and d_sae (${dSae}), but k is ${k === undefined ? 'missing' : k}.`, dimsSource);
    }
  }
  return {
    id: description.id,
    title: description.title,
    format: description.format,
    architecture,
    hookName: description.hookName,
    dIn,
    dSae,
    ...(k !== undefined ? { k } : {}),
    applyBDecToInput: description.applyBDecToInput,
    weights: weights as SaeWeights,
  };
}

/** BatchTopK's inference threshold is one number; SAELens 6 stores it repeated per latent. */
function scalarThreshold(threshold: LoadedArray, dSae: number, file: string): LoadedArray {
  const n = threshold.data.length;
  if (n === 1 || (n === dSae && threshold.shape.length === 1 && threshold.data.every((v) => v === threshold.data[0]))) {
    return { shape: [1], data: threshold.data.slice(0, 1) };
  }
  throw new EngineError(
    `${file}: a batchtopk SAE has one inference threshold, but this threshold is ${shapeText(threshold.shape)} with differing values — load it as a jumprelu SAE instead.`,
    file,
  );
}

function checkFinite(data: Float32Array, name: string, file: string): void {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad > 0) {
    throw new EngineError(
      `${file}: ${name} holds ${bad} NaN or infinite value${bad > 1 ? 's' : ''} (first at index ${first}) — the weights are corrupted, or overflowed when saved as fp16.`,
      file,
    );
  }
}

export function parseArchitecture(value: unknown, source: string): SaeArchitecture {
  if (typeof value === 'string' && (ARCHITECTURES as readonly string[]).includes(value)) return value as SaeArchitecture;
  throw new EngineError(`${source}: architecture ${JSON.stringify(value)} is not one this explorer can run (${ARCHITECTURES.join(', ')}).`, source);
}
