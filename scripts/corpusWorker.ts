/**
 * A run of corpus sequences in a worker thread with its own engine (the dashboards' precompute and
 * the evaluation split their corpus passes this way): both ends of the little protocol — progress
 * in sequences, then the result with its buffers transferred, or why it failed.
 */
import { parentPort, Worker } from 'node:worker_threads';

type CorpusWorkerMessage<R> = { kind: 'progress'; done: number } | { kind: 'done'; result: R } | { kind: 'failed'; message: string };

/** Runs the TypeScript module `script` in a worker thread that receives `data` as its workerData.job etc. */
export function runCorpusWorker<R>(script: URL, data: Record<string, unknown>, onSequences: (n: number) => void, what: string): Promise<R> {
  return new Promise((resolvePart, reject) => {
    // Worker threads do not inherit tsx's loader: the entry registers it, then imports `script`.
    const worker = new Worker(new URL('./tsx-worker-entry.mjs', import.meta.url), { workerData: { script: script.href, ...data } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: CorpusWorkerMessage<R>) => {
      if (m.kind === 'progress') onSequences(m.done);
      else if (m.kind === 'done') settle(() => resolvePart(m.result));
      else settle(() => reject(new Error(`a ${what} worker failed: ${m.message}`)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`a ${what} worker stopped (exit code ${code}) before finishing`))));
  });
}

/** The worker's end: runs `work`, posting its progress, then its result (`buffers` transferred) or its failure. */
export async function serveCorpusWorker<R>(work: (onSequences: (done: number) => void) => Promise<R>, buffers: (result: R) => ArrayBuffer[]): Promise<void> {
  const port = parentPort!;
  const post = (m: CorpusWorkerMessage<R>, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const result = await work((done) => post({ kind: 'progress', done }));
    post({ kind: 'done', result }, buffers(result));
  } catch (err) {
    post({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
