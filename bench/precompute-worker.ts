/**
 * One worker thread of bench/precompute.ts's parallel engine pass, as scripts/precompute-worker.ts
 * is for the precompute script: its own engine encodes a run of sequences of the shared hook
 * activations and folds them into the dashboard statistics, then hands the part back (transferred,
 * not copied). It loads and warms up once, then runs a part per `run` message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { partialBuffers, SaeStatsAccumulator, type PartialStats } from '../src/engine/analysis/saeStatsAccumulator';
import { Engine } from '../src/engine/engine';
import type { EncoderPath } from '../src/engine/sae/encoderBank';
import { SaeCodec } from '../src/engine/sae/saeCodec';

export interface PassWorkerData {
  bundleDir: string;
  saeId: string;
  encoder: EncoderPath;
  /** hook activations [tokens, d_in] of the whole slice, shared with the main thread */
  acts: SharedArrayBuffer;
  seqLen: number;
  batchSeqs: number;
}

export type PassRequest = { kind: 'run'; seqFrom: number; seqTo: number; correlationStride: number | null } | { kind: 'stop' };

export type PassReply = { kind: 'ready' } | { kind: 'done'; part: PartialStats } | { kind: 'failed'; message: string };

const data = workerData as PassWorkerData & { script: string };
const port = parentPort!;
const reply = (m: PassReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const engine = await Engine.load(data.bundleDir, { backend: 'wasm', encoder: data.encoder });
  const sae = await engine.sae(data.saeId);
  const encoder = await SaeCodec.create(sae);
  const acts = new Float32Array(data.acts);
  await encoder.encode(acts.subarray(0, data.seqLen * sae.dIn), data.seqLen); // warm-up, as the main thread's
  port.on('message', (m: PassRequest) => {
    if (m.kind === 'stop') {
      port.close();
      void encoder.release();
      return;
    }
    void (async () => {
      try {
        const acc = new SaeStatsAccumulator(encoder, sae.dSae, data.seqLen, m.correlationStride ?? undefined);
        for (let s = m.seqFrom; s < m.seqTo; s += data.batchSeqs) {
          const [from, to] = [s * data.seqLen, Math.min(m.seqTo, s + data.batchSeqs) * data.seqLen];
          await acc.add(acts.subarray(from * sae.dIn, to * sae.dIn), to - from, from);
        }
        const part = acc.takePartial();
        reply({ kind: 'done', part }, partialBuffers(part));
      } catch (err) {
        reply({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  reply({ kind: 'ready' });
} catch (err) {
  reply({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
