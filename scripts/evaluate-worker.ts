/**
 * One run of held-out sequences of the evaluation in a worker thread (see evaluate-bundle.ts): its
 * own engine runs them, and the per-sequence tallies go back transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBundleCorpus } from '../src/engine/analysis/precomputeDashboards';
import { Engine } from '../src/engine/engine';
import { runEvaluationPass, talliesBuffers, type EvaluationJob, type EvaluationTallies } from '../src/engine/evaluation/evaluationPass';

export type EvaluateWorkerMessage =
  | { kind: 'progress'; done: number }
  | { kind: 'done'; tallies: EvaluationTallies }
  | { kind: 'failed'; message: string };

const { bundleDir, job } = workerData as { bundleDir: string; job: EvaluationJob };
const port = parentPort!;

try {
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { corpus } = await loadBundleCorpus(engine);
  const tallies = await runEvaluationPass(engine, corpus, job, (done) => port.postMessage({ kind: 'progress', done } satisfies EvaluateWorkerMessage));
  port.postMessage({ kind: 'done', tallies } satisfies EvaluateWorkerMessage, talliesBuffers(tallies));
} catch (err) {
  port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies EvaluateWorkerMessage);
}
