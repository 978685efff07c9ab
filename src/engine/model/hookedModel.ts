/**
 * The transformer as one ONNX session with hooks (I/O contract in docs/ARCHITECTURE.md): feed token
 * ids and one `delta.<hook>` per steering point, get logits and whichever hook tensors were asked
 * for. The session is checked against the manifest when it is created, so a model file from another
 * export fails there, naming model.onnx and the mismatch.
 */
import type { ManifestModel } from '../bundle/manifest';
import { createSession, type Session } from '../runtime';
import { EngineError, errorMessage, type Tensor } from '../types';

const INPUT_IDS = 'input_ids';
const LOGITS = 'logits';
const deltaInput = (hook: string) => `delta.${hook}`;

export interface ModelOutputs {
  /** [T, d_vocab] (batch dimension dropped) */
  logits: Tensor;
  /** hook name → tensor, batch dimension dropped: resid [T, d_model], z/v [T, n_heads, d_head], pattern [n_heads, T, T] */
  hooks: Record<string, Tensor>;
}

export interface BatchOutputs {
  /** [B, T, d_vocab] */
  logits: Tensor;
  /** hook name → tensor with its leading batch dimension */
  hooks: Record<string, Tensor>;
}

/** What to add to the residual stream: hook name (one of steer_inputs) → [B·T·d_model] floats. */
export type Deltas = Record<string, Float32Array>;

export class HookedModel {
  private constructor(
    readonly config: ManifestModel,
    private readonly session: Session,
    /** for messages: the model file's bundle path */
    private readonly file: string,
  ) {}

  /** Creates the session and checks its inputs and outputs against the manifest. */
  static async create(onnxBytes: Uint8Array, config: ManifestModel, file = config.onnx): Promise<HookedModel> {
    let session: Session;
    try {
      session = await createSession(onnxBytes);
    } catch (err) {
      throw new EngineError(`${file}: ${errorMessage(err)}`, file);
    }
    const problem = ioMismatch(session, config);
    if (problem) {
      await session.release();
      throw new EngineError(
        `${file} does not match manifest.json: ${problem}. Were they exported together? Rebuild the bundle.`,
        file,
      );
    }
    return new HookedModel(config, session, file);
  }

  /** One sequence (BOS included by the caller): logits and the requested hooks. */
  async run(ids: readonly number[], hooks: readonly string[] = [], deltas?: Deltas): Promise<ModelOutputs> {
    const out = await this.runBatch([ids], hooks, deltas);
    const hookTensors: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(out.hooks)) hookTensors[name] = dropBatch(t);
    return { logits: dropBatch(out.logits), hooks: hookTensors };
  }

  /** Several sequences of equal length at once (corpus passes); outputs keep the batch dimension. */
  async runBatch(seqs: readonly (readonly number[])[], hooks: readonly string[] = [], deltas: Deltas = {}): Promise<BatchOutputs> {
    const { n_ctx, d_vocab, d_model, steer_inputs } = this.config;
    const batch = seqs.length;
    const T = seqs[0]?.length ?? 0;
    if (batch === 0 || T === 0) throw new EngineError('Nothing to run: the token sequence is empty.');
    if (seqs.some((s) => s.length !== T)) {
      throw new EngineError('All sequences of a batch must have the same length; run them one by one instead.');
    }
    if (T > n_ctx) {
      throw new EngineError(`The sequence has ${T} tokens, more than the model's context of ${n_ctx}. Shorten the text.`);
    }
    for (const hook of hooks) {
      if (!this.config.hooks.includes(hook)) {
        throw new EngineError(`The model has no hook "${hook}"; it offers: ${this.config.hooks.join(', ')}.`);
      }
    }
    const idData = new BigInt64Array(batch * T);
    seqs.forEach((seq, b) =>
      seq.forEach((id, t) => {
        if (!Number.isInteger(id) || id < 0 || id >= d_vocab) {
          throw new EngineError(`Token id ${id} at position ${t} is outside the vocabulary (0 … ${d_vocab - 1}).`);
        }
        idData[b * T + t] = BigInt(id);
      }),
    );

    const feeds: Record<string, Tensor> = { [INPUT_IDS]: { type: 'int64', data: idData, dims: [batch, T] } };
    const size = batch * T * d_model;
    for (const hook of Object.keys(deltas)) {
      if (!steer_inputs.includes(hook)) {
        throw new EngineError(`The model cannot add to "${hook}": its steering points are ${steer_inputs.join(', ')}.`);
      }
    }
    for (const hook of steer_inputs) {
      const delta = deltas[hook] ?? new Float32Array(size);
      if (delta.length !== size) {
        throw new EngineError(`The delta for "${hook}" has ${delta.length} floats; [${batch}, ${T}, ${d_model}] needs ${size}.`);
      }
      feeds[deltaInput(hook)] = { type: 'float32', data: delta, dims: [batch, T, d_model] };
    }

    const fetches = [LOGITS, ...new Set(hooks)];
    const out = await this.session.run(feeds, fetches);
    const hookTensors: Record<string, Tensor> = {};
    for (const hook of hooks) hookTensors[hook] = this.output(out, hook);
    return { logits: this.output(out, LOGITS), hooks: hookTensors };
  }

  release(): Promise<void> {
    return this.session.release();
  }

  private output(out: Record<string, Tensor>, name: string): Tensor {
    const t = out[name];
    if (!t) throw new EngineError(`${this.file} returned no "${name}" output.`, this.file);
    return t;
  }
}

/** What differs between the session's I/O and the manifest's contract, or null if they agree. */
function ioMismatch(session: Session, config: ManifestModel): string | null {
  const wantInputs = [INPUT_IDS, ...config.steer_inputs.map(deltaInput)];
  const missingIn = wantInputs.filter((n) => !session.inputNames.includes(n));
  if (missingIn.length) return `the model has no input ${list(missingIn)} (its inputs: ${list(session.inputNames)})`;
  const extraIn = session.inputNames.filter((n) => !wantInputs.includes(n));
  if (extraIn.length) return `the model expects input ${list(extraIn)}, which the manifest does not describe`;
  const wantOutputs = [LOGITS, ...config.hooks];
  const missingOut = wantOutputs.filter((n) => !session.outputNames.includes(n));
  if (missingOut.length) return `the model has no output ${list(missingOut)} (listed in model.hooks)`;
  return null;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 6).map((n) => `"${n}"`);
  return names.length > 6 ? `${shown.join(', ')} and ${names.length - 6} more` : shown.join(', ');
}

function dropBatch(t: Tensor): Tensor {
  return { ...t, dims: t.dims.slice(1) };
}
