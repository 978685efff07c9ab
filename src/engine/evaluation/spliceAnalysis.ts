/**
 * Splicing an SAE into the model on the reader's own text: at every token, how much of the hook's
 * activation the reconstruction misses (‖x̂ − x‖² / ‖x‖²), and how much worse the model predicts
 * that token with the reconstruction in the hook's place; and over the text, the CE recovered
 * (as the bundle's evaluation defines it: against zero-ablating the hook), BOS kept as it is.
 */
import type { Engine } from '../engine';
import { deltaPointFor } from '../model/deltaPoint';
import { logProbOf } from '../generation/sampling';
import { EngineError } from '../types';
import { ablationDelta, spliceDelta } from './splice';

export interface SpliceAnalysis {
  /** BOS first */
  tokens: string[];
  /** per token: ‖x̂ − x‖² / ‖x‖² at the SAE's hook (0 at BOS, which is never spliced) */
  errors: Float32Array;
  /** per token t ≥ 1: −log p(token t) with the SAE spliced in, minus without (0 at BOS) */
  ceChange: Float32Array;
  /** mean next-token cross-entropy (nats) over the text: clean, spliced, hook zero-ablated */
  ceClean: number;
  ceSpliced: number;
  ceZero: number;
  /** (ceZero − ceSpliced) / (ceZero − ceClean), as a percentage */
  ceRecoveredPct: number;
  /** the bundle's own evaluation of this SAE on its held-out text, where there is one */
  bundleCeRecoveredPct: number | null;
}

/** What the SAE makes of activations [T, d_in]: its reconstruction, same shape. */
export type Reconstruct = (acts: Float32Array, T: number) => Promise<Float32Array>;

/** The splice analysis of `text` with SAE `saeId`'s reconstruction. */
export async function spliceAnalysis(engine: Engine, text: string, saeId: string): Promise<SpliceAnalysis> {
  if (text.trim() === '') throw new EngineError('The text is empty: type some text to splice the SAE into.', 'text');
  const codec = await engine.codec(saeId);
  const { ids, tokens } = engine.tokenize(text);
  const analysis = await spliceWith(engine, ids, codec.sae.hookName, async (acts, T) => codec.decode(await codec.encode(acts, T), T, acts));
  return { tokens, ...analysis, bundleCeRecoveredPct: await bundleCeRecovered(engine, saeId) };
}

/** The splice analysis of the token ids `ids` (BOS first) at `hook`, with any reconstruction. */
export async function spliceWith(engine: Engine, ids: number[], hook: string, reconstruct: Reconstruct): Promise<Omit<SpliceAnalysis, 'tokens' | 'bundleCeRecoveredPct'>> {
  const { d_model: width, d_vocab: V, steer_inputs } = engine.manifest.model;
  const point = deltaPointFor(hook, steer_inputs);
  if (!point) throw new EngineError(`The model has no delta input that reaches ${hook}, so no SAE can be spliced in there.`, hook);
  const T = ids.length;
  if (T < 2) throw new EngineError('The text has no token to predict: type at least one word.', 'text');
  const clean = await engine.model.run(ids, [hook]);
  const acts = clean.hooks[hook]!.data as Float32Array;
  const recon = await reconstruct(acts, T);
  // Spliced and zero-ablated in one batch of two: one session run instead of two.
  const both = new Float32Array(2 * T * width);
  both.set(spliceDelta(acts, recon, T, width));
  both.set(ablationDelta(acts, T, width), T * width);
  const batch = (await engine.model.runBatch([ids, ids], [], { [point]: both })).logits.data as Float32Array;
  const [cleanLogits, splicedLogits, zeroLogits] = [clean.logits.data as Float32Array, batch.subarray(0, T * V), batch.subarray(T * V)];

  const nll = (logits: Float32Array, t: number) => -logProbOf(logits.subarray((t - 1) * V, t * V), ids[t]!);
  const errors = new Float32Array(T);
  const ceChange = new Float32Array(T);
  let [ceClean, ceSpliced, ceZero] = [0, 0, 0];
  for (let t = 1; t < T; t++) {
    let err = 0;
    let norm = 0;
    for (let j = t * width; j < (t + 1) * width; j++) {
      err += (recon[j]! - acts[j]!) ** 2;
      norm += acts[j]! ** 2;
    }
    errors[t] = norm > 0 ? err / norm : 0;
    const [c, s, z] = [nll(cleanLogits, t), nll(splicedLogits, t), nll(zeroLogits, t)];
    ceChange[t] = s - c;
    ceClean += c;
    ceSpliced += s;
    ceZero += z;
  }
  const n = T - 1;
  [ceClean, ceSpliced, ceZero] = [ceClean / n, ceSpliced / n, ceZero / n];
  return { errors, ceChange, ceClean, ceSpliced, ceZero, ceRecoveredPct: (100 * (ceZero - ceSpliced)) / (ceZero - ceClean) };
}

/** The bundle's CE recovered by SAE id, from report.json (read once per engine). */
const bundleFigures = new WeakMap<Engine, Promise<Map<string, number>>>();

/** The CE recovered of `saeId` in the bundle's report.json (evaluation), or null. */
async function bundleCeRecovered(engine: Engine, saeId: string): Promise<number | null> {
  let figures = bundleFigures.get(engine);
  if (!figures) {
    figures = readBundleFigures(engine);
    bundleFigures.set(engine, figures);
  }
  return (await figures).get(saeId) ?? null;
}

async function readBundleFigures(engine: Engine): Promise<Map<string, number>> {
  const file = engine.manifest.report;
  if (!file) return new Map();
  try {
    // No progress to show: the figure is a comparison beside the reader's own.
    const report = (await engine.bundle.json(file, () => {})) as { evaluation?: { saes?: { id: string; overall?: { ceRecoveredPct?: { value?: number } } }[] } };
    const figures = new Map<string, number>();
    for (const s of report.evaluation?.saes ?? []) if (typeof s.overall?.ceRecoveredPct?.value === 'number') figures.set(s.id, s.overall.ceRecoveredPct.value);
    return figures;
  } catch {
    // The analysis stands without the comparison.
    return new Map();
  }
}
