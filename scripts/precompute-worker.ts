/**
 * One part of the dashboards' corpus pass in a worker thread (see precompute-dashboards.ts): its
 * own engine runs sequences [seqFrom, seqTo) through the model and every SAE, and hands the sparse
 * activations and co-activation sums back, transferred rather than copied.
 */
import { workerData } from 'node:worker_threads';
import { loadCorpus, runCorpusPass, type CorpusPassJob } from '../src/engine/analysis/precomputeDashboards';
import { partialBuffers } from '../src/engine/analysis/saeStatsAccumulator';
import { Engine } from '../src/engine/engine';
import { serveCorpusWorker } from './corpusWorker';

const { bundleDir, job } = workerData as { bundleDir: string; job: CorpusPassJob };

await serveCorpusWorker(async (onSequences) => {
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { corpus } = await loadCorpus(engine);
  return runCorpusPass(engine, corpus, job, onSequences);
}, (result) => Object.values(result).flatMap(partialBuffers));
