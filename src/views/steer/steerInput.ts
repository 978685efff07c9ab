/**
 * From what the reader typed on the steering page to what the worker runs: each feature row
 * checked against the SAEs the engine has (a message naming the row where it cannot be used),
 * its strength scaled by the feature's max activation on the corpus where the dashboards give one.
 */
import type { SaeInfo } from '../../engine/engine';
import type { GenerationSettings } from '../../engine/generation/generate';
import type { FeatureSteer, SteerWhere } from '../../engine/generation/steering';
import type { SteerRow, SteerState } from './steerUrl';

/** Strengths beyond this many max activations only make noise; the reader is told so. */
export const MAX_STRENGTH = 100;

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const fail = (problem: string) => ({ ok: false as const, problem });

/** The feature a row names, or why it names none. */
export function checkFeature(row: Pick<SteerRow, 'saeId' | 'feature'>, saes: readonly SaeInfo[]): Checked<{ sae: SaeInfo; feature: number }> {
  const sae = saes.find((s) => s.id === row.saeId);
  if (!sae) return fail(`There is no SAE “${row.saeId}” loaded.`);
  const feature = Number(row.feature);
  if (row.feature.trim() === '' || !Number.isInteger(feature) || feature < 0 || feature >= sae.dSae) {
    return fail(`Feature “${row.feature}” is not one of ${sae.id}'s features (0 to ${sae.dSae - 1}).`);
  }
  return { ok: true, value: { sae, feature } };
}

export function parseWhere(where: string): SteerWhere | null {
  if (where === 'all') return { kind: 'all' };
  if (where === 'gen') return { kind: 'generated' };
  const m = /^from(\d+)$/.exec(where);
  return m && Number(m[1]) >= 1 ? { kind: 'from', position: Number(m[1]) } : null;
}

/**
 * The steer a row asks for. `maxAct(saeId, feature)` is the feature's largest activation on the
 * corpus, or null where no dashboard says (then an added strength is in raw activation units).
 */
export function checkSteer(row: SteerRow, saes: readonly SaeInfo[], maxAct: (saeId: string, feature: number) => number | null): Checked<FeatureSteer> {
  const named = checkFeature(row, saes);
  if (!named.ok) return named;
  const strength = Number(row.strength);
  if (row.strength.trim() === '' || !Number.isFinite(strength)) return fail(`The strength “${row.strength}” of feature ${named.value.feature} is not a number.`);
  if (Math.abs(strength) > MAX_STRENGTH) return fail(`The strength ${strength} of feature ${named.value.feature} is too large: use at most ±${MAX_STRENGTH}.`);
  const where = parseWhere(row.where);
  if (!where) return fail(`“${row.where}” is not where a steer can act (every token, from a token on, or generated tokens only).`);
  const scale = row.mode === 'add' ? (maxAct(row.saeId, named.value.feature) ?? 1) : 1;
  return { ok: true, value: { saeId: row.saeId, feature: named.value.feature, mode: row.mode, value: strength * scale, where } };
}

/** The sampling settings of the page, or why they cannot be used. */
export function checkSettings(state: SteerState): Checked<GenerationSettings> {
  const num = (raw: string) => (raw.trim() === '' ? Number.NaN : Number(raw));
  const settings = { temperature: num(state.temperature), topK: num(state.topK), topP: num(state.topP), maxTokens: num(state.maxTokens), seed: num(state.seed) };
  if (!(settings.temperature >= 0 && settings.temperature <= 100)) return fail(`Temperature “${state.temperature}” must be a number from 0 (greedy) to 100.`);
  if (!(Number.isInteger(settings.topK) && settings.topK >= 0)) return fail(`Top-k “${state.topK}” must be a whole number ≥ 0 (0 keeps every token).`);
  if (!(settings.topP > 0 && settings.topP <= 1)) return fail(`Top-p “${state.topP}” must be a number above 0 and at most 1.`);
  if (!(Number.isInteger(settings.maxTokens) && settings.maxTokens >= 1 && settings.maxTokens <= 256)) return fail(`Length “${state.maxTokens}” must be a whole number of tokens from 1 to 256.`);
  if (!Number.isInteger(settings.seed)) return fail(`Seed “${state.seed}” must be a whole number.`);
  return { ok: true, value: settings };
}
