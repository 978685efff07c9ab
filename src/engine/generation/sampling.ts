/**
 * Picking the next token from one row of logits: greedy, or sampled with a temperature, top-k and
 * top-p (nucleus). Sampling draws exactly one uniform number per token, so two continuations fed
 * the same random stream (steered and unsteered, same seed) differ only where the model does.
 */
import { EngineError } from '../types';

export interface SamplingSettings {
  /** 0 = greedy (the most likely token); otherwise logits are divided by it */
  temperature: number;
  /** keep only the k most likely tokens; 0 = all */
  topK: number;
  /** keep the smallest set of most likely tokens whose probability reaches p; 1 = all */
  topP: number;
}

/** Why a settings object cannot be sampled with, or null when it can. */
export function samplingProblem(s: SamplingSettings): string | null {
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 100) return `temperature ${s.temperature} is not a number from 0 (greedy) to 100`;
  if (!Number.isInteger(s.topK) || s.topK < 0) return `top-k ${s.topK} is not a whole number ≥ 0 (0 keeps every token)`;
  if (!Number.isFinite(s.topP) || s.topP <= 0 || s.topP > 1) return `top-p ${s.topP} is not in (0, 1]`;
  return null;
}

/** log softmax of `logits` at `token`. */
export function logProbOf(logits: ArrayLike<number>, token: number): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) max = Math.max(max, logits[v]!);
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v]! - max);
  return logits[token]! - max - Math.log(sum);
}

/** The token chosen from `logits` [V] with the uniform draw `u` ∈ [0, 1). */
export function sampleToken(logits: ArrayLike<number>, s: SamplingSettings, u: number): number {
  const problem = samplingProblem(s);
  if (problem) throw new EngineError(`Cannot sample: ${problem}.`, 'sampling');
  if (s.temperature === 0) return argmax(logits);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const kept = s.topK > 0 ? order.slice(0, s.topK) : order;
  const max = logits[kept[0]!]!;
  const weights = kept.map((id) => Math.exp((logits[id]! - max) / s.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  // The nucleus: the most likely tokens until their share reaches top-p (at least one).
  let n = 0;
  let mass = 0;
  while (n < kept.length && (n === 0 || mass < s.topP * total)) mass += weights[n++]!;
  let target = u * mass;
  for (let i = 0; i < n; i++) {
    target -= weights[i]!;
    if (target < 0) return kept[i]!;
  }
  return kept[n - 1]!;
}

function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let v = 1; v < logits.length; v++) if (logits[v]! > logits[best]!) best = v;
  return best;
}
