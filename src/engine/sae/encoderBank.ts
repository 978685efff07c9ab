/**
 * Several SAEs' encoders in one onnxruntime session (graph in saeGraphs.ts): one run encodes a
 * text with all of them, each reading its hook's activations. Activations come back dense
 * (`encode`) or as compressed rows (`encodeSparse`, for the corpus statistics): the top-k
 * architectures' (value, index) pairs go straight to rows, without a dense [tokens, d_sae] block.
 *
 * SAEs that screening makes faster (screening.ts, `screeningPays`; all it covers on the
 * 'screened' path, none on 'dense') are encoded from one int8 matmul per hook plus exact re-scoring of their
 * candidates; the rest by their dense graphs.
 */
import { type SparseRows, sparsifyPairs, sparsifyRows } from './sparseRows';
import { createSession, type Session } from '../runtime';
import { EngineError, type Sae, type Tensor } from '../types';
import { buildEncoderModel, type EncoderModel, type EncoderOutput } from './saeGraphs';
import { isScreenable, prepareEncoder, quantizeRows, type ScreenStats, screeningPays } from './screening';

/**
 * 'auto': screen the SAEs where it pays; 'screened': every SAE screening covers; 'dense': every SAE
 * by its dense graph, for comparison. All three give the same activations.
 */
export type EncoderPath = 'auto' | 'screened' | 'dense';

export const ENCODER_PATHS: readonly EncoderPath[] = ['auto', 'screened', 'dense'];

let defaultPath: EncoderPath = 'auto';

/** The path of encoder banks created from now on (Engine.load sets it from its options). */
export function setEncoderPath(path: EncoderPath): void {
  defaultPath = path;
}

export class EncoderBank {
  /** latents re-scored exactly by the screened SAEs, summed over every run (for the benchmarks) */
  readonly screenStats: ScreenStats = { candidates: 0 };

  private constructor(
    readonly saes: readonly Sae[],
    private readonly session: Session,
    private readonly layout: Omit<EncoderModel, 'model'>,
  ) {}

  static async create(saes: readonly Sae[], path: EncoderPath = defaultPath): Promise<EncoderBank> {
    if (saes.length === 0) throw new EngineError('An encoder needs at least one SAE.');
    const screened = saes.map((sae) =>
      path !== 'dense' && isScreenable(sae) && (path === 'screened' || screeningPays(sae)) ? prepareEncoder(sae) : null,
    );
    const { model, ...layout } = buildEncoderModel(saes, screened);
    return new EncoderBank(saes, await createSession(model), layout);
  }

  /** How many of the SAEs are screened. */
  get screenedCount(): number {
    return this.layout.outputs.filter((o) => o.kind === 'screened').length;
  }

  /** `hookActs`: hook name → [nTokens, d_in] for every hook the SAEs read. Returns [nTokens, d_sae] per SAE, in order. */
  async encode(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<Float32Array[]> {
    const out = await this.run(hookActs, nTokens);
    return this.layout.outputs.map((o, i) => {
      const { dSae, hookName } = this.saes[i]!;
      if (!out) return new Float32Array(0);
      if (o.kind === 'screened') return scatter(this.screen(o, out, hookActs.get(hookName)!, nTokens), dSae);
      return dense(out, o, nTokens, dSae);
    });
  }

  /** As `encode`, but each SAE's activations as compressed rows (every non-zero, features ascending). */
  async encodeSparse(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<SparseRows[]> {
    const out = await this.run(hookActs, nTokens);
    return this.layout.outputs.map((o, i) => {
      const { dSae, hookName } = this.saes[i]!;
      if (!out) return sparsifyRows(new Float32Array(0), 0, dSae);
      if (o.kind === 'dense') return sparsifyRows(out[o.acts]!.data as Float32Array, nTokens, dSae);
      if (o.kind === 'screened') return this.screen(o, out, hookActs.get(hookName)!, nTokens);
      return sparsifyPairs(out[o.values]!.data as Float32Array, out[o.indices]!.data as Int32Array, nTokens, o.k, dSae);
    });
  }

  private screen(o: Extract<EncoderOutput, { kind: 'screened' }>, out: Record<string, Tensor>, acts: Float32Array, nTokens: number): SparseRows {
    const { encoder } = o;
    const rows = this.quantized.get(acts) ?? quantizeRows(acts, nTokens, encoder.dIn);
    return encoder.kernel.encode(acts, rows, out[o.products]!.data as Int32Array, o.width, o.column, this.screenStats);
  }

  /** The session's outputs; null for no tokens (nothing to run). */
  private async run(hookActs: ReadonlyMap<string, Float32Array>, nTokens: number): Promise<Record<string, Tensor> | null> {
    const feeds: Record<string, Tensor> = {};
    this.quantized = new Map();
    const checked = (hook: string) => {
      const acts = hookActs.get(hook);
      const dIn = this.saes.find((s) => s.hookName === hook)!.dIn;
      if (!acts) throw new EngineError(`The SAEs read hook ${hook}, but no activations of it were given.`);
      const readers = this.saes.filter((s) => s.hookName === hook).map((s) => s.id).join(', ');
      checkSize(`SAE ${readers}`, hook, 'activations', acts, nTokens, dIn);
      return { acts, dIn };
    };
    for (const [hook, input] of this.layout.inputs) {
      const { acts, dIn } = checked(hook);
      feeds[input] = { type: 'float32', data: acts, dims: [nTokens, dIn] };
    }
    for (const [hook, input] of this.layout.quantInputs) {
      const { acts, dIn } = checked(hook);
      const rows = quantizeRows(acts, nTokens, dIn);
      this.quantized.set(acts, rows);
      feeds[input] = { type: 'uint8', data: rows.q, dims: [nTokens, dIn] };
    }
    if (nTokens === 0) return null;
    return this.session.run(feeds, [...new Set(this.layout.outputs.flatMap(outputNames))]);
  }

  /** The last run's quantized activations, by the array they came from (SAEs on one hook share them). */
  private quantized = new Map<Float32Array, ReturnType<typeof quantizeRows>>();

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
  if (o.kind === 'screened') return [o.products];
  return o.kind === 'dense' ? [o.acts] : [o.values, o.indices];
}

function scatter(rows: SparseRows, width: number): Float32Array {
  const acts = new Float32Array(rows.nRows * width);
  for (let r = 0; r < rows.nRows; r++) {
    for (let i = rows.rowStart[r]!; i < rows.rowStart[r + 1]!; i++) acts[r * width + rows.features[i]!] = rows.values[i]!;
  }
  return acts;
}

function dense(out: Record<string, Tensor>, o: Exclude<EncoderOutput, { kind: 'screened' }>, nTokens: number, dSae: number): Float32Array {
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
