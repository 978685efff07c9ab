/**
 * The page's half of the request map (./protocol.ts): any request as a promise of its reply, with
 * its progress events, cancellation through an AbortSignal, and the worker's errors rethrown as
 * EngineErrors that keep their code and source. Nothing here knows a request by name.
 */
import { EngineError, throwIfCancelled } from '../errors/engineError';
import { deserializeError, type FromWorker, type ParamsOf, type ProgressOf, type ReplyOf, type RequestName, type ToWorker } from './protocol';

export interface RequestOptions<K extends RequestName> {
  onProgress?: (p: ProgressOf<K>) => void;
  /** aborting it cancels the request, which then fails with code 'cancelled' unless it has finished */
  signal?: AbortSignal;
  /** buffers of the params to move to the worker rather than copy */
  transfer?: Transferable[];
}

/** The worker as the client uses it: a Worker in the page, a stand-in in tests. */
export interface WorkerPort {
  postMessage(message: ToWorker, options: { transfer: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

/** Starts the engine worker: its own chunk, so the page's bundle holds no engine code. */
export function startEngineWorker(): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'sae-explorer-engine' });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: unknown) => void;
  /** stops listening to the caller's signal */
  settled(): void;
}

export class EngineClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly port: WorkerPort) {
    port.addEventListener('message', (e) => this.receive(e.data));
    // The worker script itself failed (a syntax error, a chunk that did not load): nothing will answer.
    port.addEventListener('error', (e) => {
      e.preventDefault();
      const message = `The engine worker stopped: ${e.message || 'its script could not be loaded'}. Reload the page to try again.`;
      this.failAll(new EngineError(message, 'engine.worker.js', 'no-engine'));
    });
  }

  /** Sends request `name`; resolves with its result (null where a newer request of its lane superseded it). */
  request<K extends RequestName>(name: K, params: ParamsOf<K>, options: RequestOptions<K> = {}): Promise<ReplyOf<K>> {
    const { onProgress, signal, transfer = [] } = options;
    return new Promise((resolve, reject) => {
      if (signal) throwIfCancelled(signal, `The request "${name}"`);
      const id = this.nextId++;
      const cancel = () => this.port.postMessage({ kind: 'cancel', id }, { transfer: [] });
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(onProgress ? { onProgress: onProgress as (p: unknown) => void } : {}),
        settled: () => signal?.removeEventListener('abort', cancel),
      });
      // The union of request messages is keyed by name; the compiler cannot pair `name` with `params` generically.
      this.port.postMessage({ kind: 'request', id, name, params } as ToWorker, { transfer });
    });
  }

  private receive(message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    pending.settled();
    if (message.kind === 'done') pending.resolve(message.result);
    else if (message.kind === 'superseded') pending.resolve(null);
    else pending.reject(deserializeError(message.error));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      p.settled();
      p.reject(err);
    }
    this.pending.clear();
  }
}
