/**
 * Continuing a prompt, steered and unsteered side by side. Each continuation has its own random
 * generator seeded alike, drawing one number per token, so the two share the random stream and
 * part only where steering changed the model's distribution. A continuation runs on the model with
 * a key/value cache (model/cachedModel.ts: each step runs only the new token), unless a clamp steers
 * it: a clamp reads the activation it replaces, which the cached decoder does not expose, so that
 * branch re-runs the whole sequence each token. Each token is reported as it comes; `step` wraps
 * every model run, so a host can take turns on the model and stop between tokens.
 */
import { seededRandom } from '../analysis/random';
import type { Engine } from '../engine';
import type { KvCache } from '../model/cachedModel';
import type { Deltas } from '../model/hookedModel';
import { EngineError } from '../types';
import { logProbOf, samplingProblem, sampleToken, type SamplingSettings } from './sampling';
import { Steering, type FeatureSteer } from './steering';

export interface GenerationSettings extends SamplingSettings {
  /** tokens to generate at most */
  maxTokens: number;
  /** of the random stream both continuations share */
  seed: number;
}

/** The most tokens one request may ask for (the context is smaller anyway). */
export const MAX_NEW_TOKENS = 1024;

export type Branch = 'steered' | 'unsteered';

/** Why a continuation ended: its length was reached, the model wrote end-of-text, or the context is full. */
export type StopReason = 'length' | 'end-of-text' | 'context';

export interface GeneratedToken {
  branch: Branch;
  /** 0 for the first generated token */
  index: number;
  id: number;
  text: string;
  /** under the branch's own model */
  logProb: number;
}

export interface Continuation {
  ids: number[];
  tokens: string[];
  /** log-probability of each generated token under the branch's own model */
  logProbs: number[];
  /** … and under the other branch's (the unsteered model for the steered text, and vice versa) */
  otherLogProbs: number[];
  stop: StopReason;
}

export interface Generation {
  /** BOS first */
  promptIds: number[];
  promptTokens: string[];
  nCtx: number;
  steered: Continuation;
  unsteered: Continuation;
}

export interface GenerationHooks {
  onToken?: (t: GeneratedToken) => void;
  /** runs one model step (a host takes its turn on the model and checks for Stop here) */
  step?: <T>(work: () => Promise<T>) => Promise<T>;
}

interface Running {
  branch: Branch;
  steering: Steering | null;
  ids: number[];
  logProbs: number[];
  random: () => number;
  stop: StopReason | null;
  /** what the cached decoder holds of `ids`; null for a branch that re-runs the whole sequence */
  cache: KvCache | null;
}

export async function generate(
  engine: Engine,
  prompt: string,
  settings: GenerationSettings,
  steers: readonly FeatureSteer[],
  hooks: GenerationHooks = {},
): Promise<Generation> {
  const step = hooks.step ?? ((work) => work());
  const problem = samplingProblem(settings) ?? lengthProblem(settings.maxTokens);
  if (problem) throw new EngineError(`Cannot generate: ${problem}.`, 'settings');
  if (prompt.trim() === '') throw new EngineError('The prompt is empty: type some text for the model to continue.', 'prompt');
  const { ids: promptIds, tokens: promptTokens, truncated, nCtx } = engine.tokenize(prompt);
  if (truncated || promptIds.length >= nCtx) {
    throw new EngineError(`The prompt fills the model's whole context of ${nCtx} tokens, leaving no room to generate: shorten it.`, 'prompt');
  }
  const steering = await Steering.prepare(engine, steers);
  const cached = await engine.cachedModel();
  const eos = engine.manifest.model.bos_token_id;
  const P = promptIds.length;
  const branches: Running[] = (['steered', 'unsteered'] as const).map((branch) => ({
    branch,
    steering: branch === 'steered' ? steering : null,
    ids: [...promptIds],
    logProbs: [],
    random: seededRandom(settings.seed),
    stop: null,
    cache: branch === 'unsteered' || steering.additive ? cached.emptyCache() : null,
  }));

  const logitsOf = (b: Pick<Running, 'steering'>, ids: number[]) =>
    step(async () => (b.steering ? b.steering.logits(ids, P) : ((await engine.model.run(ids)).logits.data as Float32Array)));
  const { d_vocab: V, d_model } = engine.manifest.model;
  /** The logits [V] after the branch's last token. */
  const nextLogits = async (b: Running): Promise<Float32Array> => {
    const T = b.ids.length;
    if (!b.cache) return (await logitsOf(b, b.ids)).subarray((T - 1) * V, T * V);
    const from = b.cache.length;
    const cache = b.cache;
    const out = await step(async () => cached.step(b.ids.slice(from), cache, b.steering ? rows(await b.steering.deltas(b.ids, P), from, T, d_model) : {}));
    b.cache = out.cache;
    return out.logits.subarray((T - from - 1) * V, (T - from) * V);
  };
  for (let index = 0; branches.some((b) => b.stop === null); index++) {
    for (const b of branches) {
      if (b.stop !== null) continue;
      if (index >= settings.maxTokens) {
        b.stop = 'length';
        continue;
      }
      if (b.ids.length >= nCtx) {
        b.stop = 'context';
        continue;
      }
      const last = finiteRow(await nextLogits(b), b.branch);
      const id = sampleToken(last, settings, b.random());
      const logProb = logProbOf(last, id);
      b.ids.push(id);
      b.logProbs.push(logProb);
      hooks.onToken?.({ branch: b.branch, index, id, text: engine.tokenizer.tokenText(id), logProb });
      if (id === eos) b.stop = 'end-of-text';
    }
  }

  // Each text scored by the other model: one run over the whole sequence gives every token's.
  const [steered, unsteered] = branches as [Running, Running];
  const crossScore = async (b: Running, other: Running) => {
    const logits = await logitsOf(other, b.ids);
    return b.logProbs.map((_, i) => logProbOf(logits.subarray((P + i - 1) * V, (P + i) * V), b.ids[P + i]!));
  };
  const finish = async (b: Running, other: Running): Promise<Continuation> => {
    const ids = b.ids.slice(P);
    return {
      ids,
      tokens: ids.map((id) => engine.tokenizer.tokenText(id)),
      logProbs: b.logProbs,
      otherLogProbs: ids.length ? await crossScore(b, other) : [],
      stop: b.stop!,
    };
  };
  return { promptIds, promptTokens, nCtx, steered: await finish(steered, unsteered), unsteered: await finish(unsteered, steered) };
}

/** Rows [from, to) of each delta [T, width]. */
function rows(deltas: Deltas, from: number, to: number, width: number): Deltas {
  return Object.fromEntries(Object.entries(deltas).map(([point, d]) => [point, d.subarray(from * width, to * width)]));
}

function lengthProblem(maxTokens: number): string | null {
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > MAX_NEW_TOKENS) return `the length ${maxTokens} is not a whole number from 1 to ${MAX_NEW_TOKENS}`;
  return null;
}

function finiteRow(row: Float32Array, branch: Branch): Float32Array {
  if (!row.every(Number.isFinite)) {
    throw new EngineError(`The ${branch} model's logits are not finite numbers: the steering is too strong for fp32. Use a smaller strength.`, 'strength');
  }
  return row;
}
