/**
 * Several SAEs' encoders in one onnxruntime session (graph in saeGraphs.ts): one run encodes a
 * text with all of them, each reading its hook's activations. Activations come back dense
 * (`encode`) or as compressed rows (`encodeSparse`, for the corpus statistics): the top-k
 * architectures' (value, index) pairs go straight to rows, without a dense [tokens, d_sae] block.
 */
import { type SparseRows, sparsifyPairs, sparsifyRows } from './sparseRows';
import { createSession, type Session } from '../runtime';
import { EngineError, type Sae, type Tensor } from '../types';
import { buildEncoderModel, type EncoderModel, type EncoderOutput } from './saeGraphs';

export class EncoderBank {
  private constructor(
    readonly saes: readonly Sae[],
    private readonly session: Session,
    private readonly layout: Omit<EncoderModel, 'model'>,
  ) {}

  static async create(saes: readonly Sae[]): Promise<EncoderBank> {
    if (saes.length === 0) throw new EngineError('An encoder needs at least one SAE.');
    const { model, ...layout } = buildEncoderModel(saes);
    return new EncoderBank(saes, await createSession(model), layout);
  }

  /** `hookActs`: hook name → [nTokens, d_in] for every hook the SAEs read. Returns [nTokens, d_sae] per SAE, in order. */
  async encode(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<Float32Array[]> {
    const out = await this.run(hookActs, nTokens);
    return this.layout.outputs.map((o, i) => (out ? dense(out, o, nTokens, this.saes[i]!.dSae) : new Float32Array(0)));
  }

  /** As `encode`, but each SAE's activations as compressed rows (every non-zero, features ascending). */
  async encodeSparse(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<SparseRows[]> {
    const out = await this.run(hookActs, nTokens);
    return this.layout.outputs.map((o, i) => {
      const { dSae } = this.saes[i]!;
      if (!out) return sparsifyRows(new Float32Array(0), 0, dSae);
      if (o.kind === 'dense') return sparsifyRows(out[o.acts]!.data as Float32Array, nTokens, dSae);
      return sparsifyPairs(out[o.values]!.data as Float32Array, out[o.indices]!.data as Int32Array, nTokens, o.k, dSae);
    });
  }

  /** The session's outputs; null for no tokens (nothing to run). */
  private async run(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<Record<string, Tensor> | null> {
    const feeds: Record<string, Tensor> = {};
    for (const [hook, input] of this.layout.inputs) {
      const acts = hookActs.get(hook);
      const dIn = this.saes.find((s) => s.hookName === hook)!.dIn;
      if (!acts) throw new EngineError(`The SAEs read hook ${hook}, but no activations of it were given.`);
      const readers = this.saes.filter((s) => s.hookName === hook).map((s) => s.id).join(', ');
      checkSize(`SAE ${readers}`, hook, 'activations', acts, nTokens, dIn);
      feeds[input] = { type: 'float32', data: acts, dims: [nTokens, dIn] };
    }
    if (nTokens === 0) return null;
    return this.session.run(feeds, this.layout.outputs.flatMap(outputNames));
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** Throws unless `data` holds `nTokens` rows of `width` floats. */
export function checkSize(owner: string, hook: string, what: string, data: Float32Array, nTokens: number, width: number): void {
  if (!Number.isSafeInteger(nTokens) || nTokens < 0 || data.length !== nTokens * width) {
    throw new EngineError(
      `${owner} expects ${what} of ${nTokens} tokens × ${width} = ${nTokens * width} values, but got ${data.length}. ` +
        `Does the hook (${hook}) match the SAE?`,
    );
  }
}

function outputNames(o: EncoderOutput): string[] {
  return o.kind === 'dense' ? [o.acts] : [o.values, o.indices];
}

function dense(out: Record<string, Tensor>, o: EncoderOutput, nTokens: number, dSae: number): Float32Array {
  if (o.kind === 'dense') return out[o.acts]!.data as Float32Array;
  const values = out[o.values]!.data as Float32Array;
  const indices = out[o.indices]!.data as Int32Array;
  const acts = new Float32Array(nTokens * dSae);
  for (let t = 0; t < nTokens; t++) {
    const row = t * dSae;
    for (let i = t * o.k; i < (t + 1) * o.k; i++) acts[row + indices[i]!]! += values[i]!;
  }
  return acts;
}
