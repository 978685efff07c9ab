/**
 * Ablating a feature on the reader's text: hold it at 0 (or clamp it to a value) at one token or
 * at every token, through the steering deltas, and compare the model with and without: the
 * next-token distribution after the text (which tokens gain and lose probability) and the features
 * of later SAEs (which rise or fall over the ablated tokens and after).
 */
import type { Engine, SaeInfo } from '../engine';
import { Steering } from '../generation/steering';
import { hookOrder } from '../model/hookShapes';
import { EngineError } from '../types';

export interface AblationSpec {
  saeId: string;
  feature: number;
  /** the token (1 = first after BOS) to ablate at, or null for every token */
  at: number | null;
  /** the activation the feature is held at: 0 ablates it */
  value: number;
}

export interface TokenShift {
  id: number;
  text: string;
  /** probability of the token next, before and after */
  before: number;
  after: number;
}

export interface FeatureShift {
  feature: number;
  /** summed over the ablated token and every token after it */
  before: number;
  after: number;
}

export interface DownstreamShift {
  saeId: string;
  title: string;
  rising: FeatureShift[];
  falling: FeatureShift[];
}

export interface Ablation {
  /** BOS first */
  tokens: string[];
  /** the ablated feature's own activation on each token, before */
  featureActs: Float32Array;
  /** the tokens whose probability rose most, and fell most, as the next token after the text */
  up: TokenShift[];
  down: TokenShift[];
  /** KL(before ‖ after) of the next-token distribution, in nats */
  klNats: number;
  downstream: DownstreamShift[];
}

const SHOWN = 8;
/** Changes smaller than this are rounding, not an effect. */
const NEGLIGIBLE = 1e-4;

export async function ablate(engine: Engine, text: string, spec: AblationSpec): Promise<Ablation> {
  if (text.trim() === '') throw new EngineError('The text is empty: type some text to ablate the feature on.', 'text');
  const { ids, tokens } = engine.tokenize(text);
  const T = ids.length;
  if (spec.at !== null && (spec.at < 1 || spec.at >= T)) {
    throw new EngineError(`Token ${spec.at} is not in the text, which has tokens 1 to ${T - 1}.`, 'position');
  }
  const where = spec.at === null ? ({ kind: 'all' } as const) : ({ kind: 'token', position: spec.at } as const);
  const steering = await Steering.prepare(engine, [{ saeId: spec.saeId, feature: spec.feature, mode: 'clamp', value: spec.value, where }]);
  const deltas = await steering.deltas(ids, T);
  const own = engine.listSaes().find((s) => s.id === spec.saeId)!;
  const later = downstreamSaes(engine.listSaes(), own);
  const laterIds = later.map((s) => s.id);

  const [before, after] = [await engine.model.run(ids), await engine.model.run(ids, [], deltas)];
  const actsBefore = await engine.featureActsAll(ids, [own.id, ...laterIds]);
  const actsAfter = laterIds.length ? await engine.featureActsAll(ids, laterIds, undefined, deltas) : new Map();
  const V = engine.manifest.model.d_vocab;
  const p = softmax((before.logits.data as Float32Array).subarray((T - 1) * V));
  const q = softmax((after.logits.data as Float32Array).subarray((T - 1) * V));
  const shifts = Array.from(p, (pv, id) => ({ id, text: engine.tokenizer.tokenText(id), before: pv, after: q[id]! }));
  const change = (s: TokenShift) => s.after - s.before;
  let klNats = 0;
  for (let v = 0; v < V; v++) if (p[v]! > 0) klNats += p[v]! * (Math.log(p[v]!) - Math.log(Math.max(q[v]!, 1e-30)));

  const mine = actsBefore.get(own.id)!;
  const featureActs = Float32Array.from({ length: T }, (_, t) => mine.acts[t * mine.dSae + spec.feature]!);
  const first = spec.at ?? 1;
  const downstream = later.map((sae) => {
    const b = actsBefore.get(sae.id)!;
    const a = actsAfter.get(sae.id)!;
    const sums = (acts: Float32Array) => {
      const out = new Float64Array(sae.dSae);
      for (let t = first; t < T; t++) for (let f = 0; f < sae.dSae; f++) out[f]! += acts[t * sae.dSae + f]!;
      return out;
    };
    const [sb, sa] = [sums(b.acts), sums(a.acts)];
    const moved = Array.from(sb, (v, feature) => ({ feature, before: v, after: sa[feature]! })).filter((s) => Math.abs(s.after - s.before) > NEGLIGIBLE);
    const byChange = (sign: number) => [...moved].filter((s) => sign * (s.after - s.before) > 0).sort((x, y) => sign * (y.after - y.before - (x.after - x.before))).slice(0, SHOWN);
    return { saeId: sae.id, title: sae.title, rising: byChange(1), falling: byChange(-1) };
  });

  return {
    tokens,
    featureActs,
    up: [...shifts].sort((a, b) => change(b) - change(a)).slice(0, SHOWN).filter((s) => change(s) > 0),
    down: [...shifts].sort((a, b) => change(a) - change(b)).slice(0, SHOWN).filter((s) => change(s) < 0),
    klNats,
    downstream,
  };
}

/** The SAEs that read the model after `own`'s hook: the first listed at each later hook. */
export function downstreamSaes(saes: readonly SaeInfo[], own: SaeInfo): SaeInfo[] {
  const mine = hookOrder(own.hookName);
  const byHook = new Map<string, SaeInfo>();
  for (const s of saes) if (hookOrder(s.hookName) > mine && !byHook.has(s.hookName)) byHook.set(s.hookName, s);
  return [...byHook.values()].sort((a, b) => hookOrder(a.hookName) - hookOrder(b.hookName));
}

function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = Float64Array.from(logits, (v) => Math.exp(v - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}
