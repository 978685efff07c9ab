/**
 * One part of the dashboards' corpus pass in a worker thread (see precompute-dashboards.ts): its
 * own engine runs sequences [seqFrom, seqTo) through the model and every SAE, and hands the sparse
 * activations and co-activation sums back, transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBundleCorpus, runCorpusPass, type CorpusPassJob } from '../src/engine/analysis/precomputeDashboards';
import { partialBuffers } from '../src/engine/analysis/saeStatsAccumulator';
import { Engine } from '../src/engine/engine';

export type WorkerMessage =
  | { kind: 'progress'; done: number }
  | { kind: 'done'; result: Awaited<ReturnType<typeof runCorpusPass>> }
  | { kind: 'failed'; message: string };

const { bundleDir, job } = workerData as { bundleDir: string; job: CorpusPassJob };
const port = parentPort!;

try {
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { corpus } = await loadBundleCorpus(engine);
  const result = await runCorpusPass(engine, corpus, job, (done) => port.postMessage({ kind: 'progress', done } satisfies WorkerMessage));
  port.postMessage({ kind: 'done', result } satisfies WorkerMessage, Object.values(result).flatMap(partialBuffers));
} catch (err) {
  port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerMessage);
}
