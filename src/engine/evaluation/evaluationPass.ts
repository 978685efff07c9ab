/**
 * One pass of the evaluation over a run of held-out sequences: per batch, the model once clean
 * (fetching every hook the SAEs read), once per hook with the hook zero-ablated, and once per SAE
 * with its reconstruction spliced in, all through the model's delta inputs. The tallies are kept
 * per sequence over the whole corpus, so passes over disjoint runs (worker threads) add up.
 */
import type { Corpus } from '../../dashboardData/corpus';
import { sequence } from '../../dashboardData/corpus';
import type { Engine, SaeInfo } from '../engine';
import { deltaPointFor } from '../model/deltaPoint';
import { SaeCodec } from '../sae/saeCodec';
import { EngineError } from '../types';
import { CrossEntropy, HookMoments, SaeTally } from './saeEvaluation';
import { ablationDelta, spliceDelta } from './splice';

export interface EvaluationJob {
  saeIds: string[];
  /** the sequences [seqFrom, seqTo) of the corpus */
  seqFrom: number;
  seqTo: number;
  /** sequences per model run */
  batch: number;
  /** source index of every sequence of the corpus */
  sourceOf: number[];
  nSources: number;
}

export interface EvaluationTallies {
  clean: CrossEntropy;
  /** by hook */
  zero: Record<string, CrossEntropy>;
  /** by hook */
  moments: Record<string, HookMoments>;
  /** in the order of job.saeIds */
  saes: SaeTally[];
}

export function emptyTallies(engine: Engine, job: Pick<EvaluationJob, 'saeIds' | 'nSources'>, nSeqs: number): EvaluationTallies {
  const infos = job.saeIds.map((id) => saeInfo(engine, id));
  const hooks = [...new Set(infos.map((s) => s.hookName))];
  const width = engine.manifest.model.d_model; // every SAE hook is d_model wide (hook_z flattened over heads)
  return {
    clean: new CrossEntropy(nSeqs),
    zero: Object.fromEntries(hooks.map((h) => [h, new CrossEntropy(nSeqs)])),
    moments: Object.fromEntries(hooks.map((h) => [h, new HookMoments(nSeqs, width)])),
    saes: infos.map((s) => new SaeTally(nSeqs, s.dSae, job.nSources)),
  };
}

/** Adds a pass's tallies (a structured clone will do) into `into`. */
export function addTallies(into: EvaluationTallies, from: EvaluationTallies): void {
  into.clean.addFrom(from.clean);
  for (const [h, ce] of Object.entries(into.zero)) ce.addFrom(from.zero[h]!);
  for (const [h, m] of Object.entries(into.moments)) m.addFrom(from.moments[h]!);
  into.saes.forEach((t, i) => t.addFrom(from.saes[i]!));
}

/** Every buffer of the tallies, to transfer them to another thread. */
export function talliesBuffers(t: EvaluationTallies): ArrayBuffer[] {
  const f64 = (a: Float64Array) => a.buffer as ArrayBuffer;
  return [
    f64(t.clean.nats),
    f64(t.clean.targets),
    ...Object.values(t.zero).flatMap((ce) => [f64(ce.nats), f64(ce.targets)]),
    ...Object.values(t.moments).flatMap((m) => [f64(m.sum), f64(m.sumSq), f64(m.tokens)]),
    ...t.saes.flatMap((s) => s.buffers()),
  ];
}

export async function runEvaluationPass(
  engine: Engine,
  corpus: Corpus,
  job: EvaluationJob,
  onSequences: (done: number) => void = () => {},
): Promise<EvaluationTallies> {
  const { model } = engine.manifest;
  const tallies = emptyTallies(engine, job, corpus.nSeqs);
  const infos = job.saeIds.map((id) => saeInfo(engine, id));
  const hooks = Object.keys(tallies.moments);
  const points = new Map(hooks.map((h) => [h, deltaPointFor(h, model.steer_inputs) ?? cannotSplice(h)]));
  const codecs = await Promise.all(infos.map(async (s) => SaeCodec.create(await engine.sae(s.id))));
  const width = model.d_model;
  const T = corpus.seqLen;
  const V = model.d_vocab;
  try {
    for (let first = job.seqFrom; first < job.seqTo; first += job.batch) {
      const seqs = Array.from({ length: Math.min(job.batch, job.seqTo - first) }, (_, i) => first + i);
      const ids = seqs.map((s) => sequence(corpus, s));
      const rows = seqs.length * T;
      const slice = (a: Float32Array, b: number, w: number) => a.subarray(b * T * w, (b + 1) * T * w);
      const addCe = (ce: CrossEntropy, logits: Float32Array) => seqs.forEach((s, b) => ce.add(s, slice(logits, b, V), ids[b]!, V));
      const runWith = async (hook: string, delta: Float32Array) =>
        (await engine.model.runBatch(ids, [], { [points.get(hook)!]: delta })).logits.data as Float32Array;

      const out = await engine.model.runBatch(ids, hooks);
      addCe(tallies.clean, out.logits.data as Float32Array);
      const acts = (hook: string) => out.hooks[hook]!.data as Float32Array;
      for (const hook of hooks) {
        seqs.forEach((s, b) => tallies.moments[hook]!.add(s, slice(acts(hook), b, width), T));
        addCe(tallies.zero[hook]!, await runWith(hook, ablationDelta(acts(hook), T, width)));
      }
      for (const [i, info] of infos.entries()) {
        const x = acts(info.hookName);
        const feats = await codecs[i]!.encode(x, rows);
        const recon = await codecs[i]!.decode(feats, rows, x);
        seqs.forEach((s, b) =>
          tallies.saes[i]!.add(s, job.sourceOf[s]!, slice(feats, b, info.dSae), slice(x, b, width), slice(recon, b, width), T, width),
        );
        addCe(tallies.saes[i]!.ceSpliced, await runWith(info.hookName, spliceDelta(x, recon, T, width)));
      }
      onSequences(seqs.length);
    }
  } finally {
    await Promise.all(codecs.map((c) => c.release()));
  }
  return tallies;
}

/** The bundle's SAE or the reader's. */
function saeInfo(engine: Engine, id: string): SaeInfo {
  const info = engine.listSaes().find((s) => s.id === id);
  if (!info) throw new EngineError(`There is no SAE "${id}" loaded.`, id, 'not-found');
  return info;
}

function cannotSplice(hook: string): never {
  throw new EngineError(`The model has no delta input that reaches ${hook}, so no SAE can be spliced in there.`, hook);
}
