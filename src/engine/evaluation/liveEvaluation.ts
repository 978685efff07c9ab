/**
 * One SAE measured on the held-out text in this browser, as scripts/evaluate-bundle.ts measures the
 * bundle's (the same evaluation pass and figures): for the reader's own SAEs, which have no report.
 * It takes `nSeqs` sequences spread evenly over the corpus, so every source of the held-out text is
 * in the sample, and runs a batch at a time through `step` (which may let other work run between
 * batches), stopping at `signal`.
 */
import type { Corpus } from '../../dashboardData/corpus';
import type { Engine } from '../engine';
import { throwIfCancelled } from '../../errors/engineError';
import { loadCorpus } from '../analysis/precomputeDashboards';
import { EngineError } from '../types';
import { addTallies, emptyTallies, runEvaluationPass, type EvaluationJob } from './evaluationPass';
import { saeFigures, type SaeFigures } from './saeEvaluation';

const BATCH_SEQS = 8;
/** Bootstrap resamples for the intervals: fewer than the bundle's 1,000, the sample is small anyway. */
const RESAMPLES = 200;
const SEED = 1;

export interface LiveSaeFigures extends SaeFigures {
  saeId: string;
  /** sequences measured, spread over the corpus */
  nSeqs: number;
}

export interface LiveEvaluationOptions {
  onProgress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
  /** runs one batch's work; by default at once */
  step?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Every k-th sequence of the corpus, `n` of them (all when it has no more). */
export function spreadSample(corpus: Corpus, n: number): Corpus {
  const count = Math.min(n, corpus.nSeqs);
  const ids = new Uint16Array(count * corpus.seqLen);
  for (let i = 0; i < count; i++) {
    const s = Math.floor((i * corpus.nSeqs) / count);
    ids.set(corpus.ids.subarray(s * corpus.seqLen, (s + 1) * corpus.seqLen), i * corpus.seqLen);
  }
  return { ids, nSeqs: count, seqLen: corpus.seqLen };
}

export async function evaluateSaeLive(engine: Engine, saeId: string, nSeqs: number, opts: LiveEvaluationOptions = {}): Promise<LiveSaeFigures> {
  if (!Number.isSafeInteger(nSeqs) || nSeqs < 2) throw new EngineError(`Cannot measure an SAE on ${nSeqs} sequences: ask for at least two.`, saeId, 'invalid');
  const info = engine.listSaes().find((s) => s.id === saeId);
  if (!info) throw new EngineError(`There is no SAE "${saeId}" loaded; add it again on the prompt page.`, saeId, 'not-found');
  const step = opts.step ?? ((work) => work());
  const sample = spreadSample((await loadCorpus(engine)).corpus, nSeqs);
  const job: EvaluationJob = { saeIds: [saeId], seqFrom: 0, seqTo: sample.nSeqs, batch: BATCH_SEQS, sourceOf: new Array<number>(sample.nSeqs).fill(0), nSources: 1 };
  const tallies = emptyTallies(engine, job, sample.nSeqs);
  for (let from = 0; from < sample.nSeqs; from += BATCH_SEQS) {
    if (opts.signal) throwIfCancelled(opts.signal, 'Measuring the SAE');
    const to = Math.min(sample.nSeqs, from + BATCH_SEQS);
    addTallies(tallies, await step(() => runEvaluationPass(engine, sample, { ...job, seqFrom: from, seqTo: to })));
    opts.onProgress?.({ done: to, total: sample.nSeqs });
  }
  const seqs = Array.from({ length: sample.nSeqs }, (_, s) => s);
  const hook = info.hookName;
  const figures = saeFigures(tallies.saes[0]!, tallies.moments[hook]!, tallies.clean, tallies.zero[hook]!, seqs, [0], RESAMPLES, SEED);
  return { ...figures, saeId, nSeqs: sample.nSeqs };
}
