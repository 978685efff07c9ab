/**
 * One run of held-out sequences of the evaluation in a worker thread (see evaluate-bundle.ts): its
 * own engine runs them, and the per-sequence tallies go back transferred rather than copied.
 */
import { workerData } from 'node:worker_threads';
import { loadCorpus } from '../src/engine/analysis/precomputeDashboards';
import { Engine } from '../src/engine/engine';
import { runEvaluationPass, talliesBuffers, type EvaluationJob } from '../src/engine/evaluation/evaluationPass';
import { serveCorpusWorker } from './corpusWorker';

const { bundleDir, job } = workerData as { bundleDir: string; job: EvaluationJob };

await serveCorpusWorker(async (onSequences) => {
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { corpus } = await loadCorpus(engine);
  return runEvaluationPass(engine, corpus, job, onSequences);
}, talliesBuffers);
