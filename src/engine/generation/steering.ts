/**
 * Steering a feature through the model's additive delta inputs (docs/ARCHITECTURE.md): at the
 * steering point of the feature's SAE hook (hook_z for attention SAEs, hook_mlp_out for MLP SAEs,
 * the residual stream for residual ones), either add `value · W_dec[f]` ('add'), or hold the
 * feature's activation at `value` by adding `(value − a_f(x)) · W_dec[f]` ('clamp'), where a_f(x)
 * is what the SAE reads at that token; everything the SAE does not explain stays as it was.
 * BOS (position 0) is never steered, as SAEs are neither trained nor evaluated there.
 */
import type { Engine } from '../engine';
import { deltaPointFor } from '../model/deltaPoint';
import type { Deltas } from '../model/hookedModel';
import type { SaeCodec } from '../sae/saeCodec';
import { EngineError, type Sae } from '../types';

/** Which tokens a steer acts on. */
export type SteerWhere = { kind: 'all' } | { kind: 'from'; position: number } | { kind: 'token'; position: number } | { kind: 'generated' };

export interface FeatureSteer {
  saeId: string;
  feature: number;
  /** 'add': `value` times the decoder direction; 'clamp': the feature's activation held at `value` */
  mode: 'add' | 'clamp';
  value: number;
  where: SteerWhere;
}

/**
 * Beyond this, fp32 logits overflow or every token's distribution is one-hot whatever the text:
 * 1e4 is ~1000× the largest activation any bundled feature reaches.
 */
export const MAX_STEER_VALUE = 1e4;

interface PreparedSteer extends FeatureSteer {
  sae: Sae;
  /** the delta input that reaches the SAE's hook */
  point: string;
}

export class Steering {
  private constructor(
    private readonly engine: Engine,
    private readonly steers: readonly PreparedSteer[],
    /** the codecs of the SAEs with a clamp, by SAE id */
    private readonly codecs: ReadonlyMap<string, SaeCodec>,
  ) {}

  /** Checks every steer against its SAE (loading it) and the model. */
  static async prepare(engine: Engine, steers: readonly FeatureSteer[]): Promise<Steering> {
    const { steer_inputs } = engine.manifest.model;
    const prepared: PreparedSteer[] = [];
    const codecs = new Map<string, SaeCodec>();
    for (const s of steers) {
      const sae = await engine.sae(s.saeId);
      if (!Number.isInteger(s.feature) || s.feature < 0 || s.feature >= sae.dSae) {
        throw new EngineError(`Feature ${s.feature} does not exist: SAE "${sae.id}" has features 0 to ${sae.dSae - 1}.`, sae.id);
      }
      if (!Number.isFinite(s.value)) throw new EngineError(`The steering strength of feature ${s.feature} is not a number (${s.value}); enter one.`, 'strength');
      if (Math.abs(s.value) > MAX_STEER_VALUE) {
        throw new EngineError(`The steering value ${s.value} of feature ${s.feature} is too large: at most ±${MAX_STEER_VALUE} (the text would be noise).`, 'strength');
      }
      if ((s.where.kind === 'from' || s.where.kind === 'token') && (!Number.isInteger(s.where.position) || s.where.position < 1)) {
        throw new EngineError(`Token ${s.where.position} is not a token of the text: positions start at 1 (0 is BOS).`, 'position');
      }
      const point = deltaPointFor(sae.hookName, steer_inputs);
      if (!point) throw new EngineError(`The model has no delta input that reaches ${sae.hookName}, so SAE "${sae.id}" cannot steer.`, sae.id);
      prepared.push({ ...s, sae, point });
      if (s.mode === 'clamp' && !codecs.has(sae.id)) codecs.set(sae.id, await engine.codec(sae.id));
    }
    return new Steering(engine, prepared, codecs);
  }

  get isEmpty(): boolean {
    return this.steers.length === 0;
  }

  /** No clamp: the deltas at a token depend on its position alone, not on the model's activations. */
  get additive(): boolean {
    return this.steers.every((s) => s.mode === 'add');
  }

  /**
   * The deltas that steer the sequence `ids` [T] whose first `promptLength` tokens are the prompt.
   * Clamps read the activation they replace, so each hook with a clamp costs one model run
   * (in the model's order, so a clamp upstream is seen by one downstream).
   */
  async deltas(ids: readonly number[], promptLength: number): Promise<Deltas> {
    const { d_model, steer_inputs } = this.engine.manifest.model;
    const T = ids.length;
    const deltas: Deltas = {};
    const deltaAt = (point: string) => (deltas[point] ??= new Float32Array(T * d_model));
    for (const s of this.steers) {
      if (s.mode === 'add') addDirection(deltaAt(s.point), s, positions(s.where, T, promptLength), () => s.value);
    }
    const clampHooks = [...new Set(this.steers.filter((s) => s.mode === 'clamp').map((s) => s.sae.hookName))];
    clampHooks.sort((a, b) => steer_inputs.indexOf(deltaPointFor(a, steer_inputs)!) - steer_inputs.indexOf(deltaPointFor(b, steer_inputs)!));
    for (const hook of clampHooks) {
      const acts = (await this.engine.model.run(ids, [hook], deltas)).hooks[hook]!.data as Float32Array;
      for (const s of this.steers) {
        if (s.mode !== 'clamp' || s.sae.hookName !== hook) continue;
        const feats = await this.codecs.get(s.sae.id)!.encode(acts, T);
        const { dSae } = s.sae;
        addDirection(deltaAt(s.point), s, positions(s.where, T, promptLength), (t) => s.value - feats[t * dSae + s.feature]!);
      }
    }
    return deltas;
  }

  /** Logits [T, d_vocab] of the steered model on `ids`. */
  async logits(ids: readonly number[], promptLength: number): Promise<Float32Array> {
    const out = await this.engine.model.run(ids, [], this.isEmpty ? {} : await this.deltas(ids, promptLength));
    return out.logits.data as Float32Array;
  }
}

/** The tokens [first, T) a steer acts on; BOS never. */
function positions(where: SteerWhere, T: number, promptLength: number): { first: number; end: number } {
  if (where.kind === 'token') return { first: where.position, end: Math.min(T, where.position + 1) };
  const first = where.kind === 'all' ? 1 : where.kind === 'from' ? where.position : promptLength;
  return { first: Math.max(1, first), end: T };
}

/** Adds `coefficient(t) · W_dec[feature]` to `delta` [T, d_in] at each token of `span`. */
function addDirection(delta: Float32Array, s: PreparedSteer, span: { first: number; end: number }, coefficient: (t: number) => number): void {
  const { dIn, weights } = s.sae;
  const row = weights.W_dec.subarray(s.feature * dIn, (s.feature + 1) * dIn);
  for (let t = span.first; t < span.end; t++) {
    const c = coefficient(t);
    if (c === 0) continue;
    const base = t * dIn;
    for (let j = 0; j < dIn; j++) delta[base + j]! += c * row[j]!;
  }
}
