/**
 * The page's half of the request map (./protocol.ts): any request as a promise of its reply, with
 * its progress events, cancellation through an AbortSignal, and the worker's errors rethrown as
 * EngineErrors that keep their code and source. Nothing here knows a request by name.
 *
 * It also watches that the worker lives: a worker whose script fails, that throws outside any
 * request, or that stays silent (pings unanswered) while requests wait, is stopped; every request in
 * flight, and every later one, fails with code 'no-engine', and `onStopped` says why.
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
  terminate(): void;
}

export interface EngineClientEvents {
  /** The worker died or stopped answering (not called for close()); requests in flight have failed with `error`. */
  onStopped?(error: EngineError): void;
}

/**
 * How long a worker with requests in flight may stay silent — no answer, no progress, no reply to a
 * ping — before it counts as stopped. Generous: the worker answers pings between steps of its work,
 * and only a single step longer than this (none is) could be mistaken for a dead worker.
 */
export const SILENCE_LIMIT_MS = 30_000;
/** How often a worker with requests in flight is pinged. */
export const PING_EVERY_MS = 5_000;
/**
 * Silence is counted in pings left unanswered, not in time: a hidden tab's timers may fire a minute
 * apart, and a worker must not be taken for dead because the page did not ask.
 */
const UNANSWERED_PINGS_LIMIT = SILENCE_LIMIT_MS / PING_EVERY_MS;

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
  /** why the worker is gone; set once */
  private stopped: EngineError | null = null;
  /** whether the worker said anything since the last ping */
  private heard = true;
  private unanswered = 0;
  private watch: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly port: WorkerPort,
    private readonly events: EngineClientEvents = {},
  ) {
    port.addEventListener('message', (e) => this.receive(e.data));
    // The worker script failed (a chunk that did not load), or the worker threw outside any request.
    port.addEventListener('error', (e) => {
      e.preventDefault();
      const what = e.message ? `it failed: ${e.message}` : 'its script (engine.worker.js) could not be loaded';
      this.stop(new EngineError(`The engine worker stopped: ${what}.`, e.filename || 'engine.worker.js', 'no-engine'));
    });
  }

  /** Stops the worker (the page is starting another); requests in flight fail with code 'no-engine'. */
  close(): void {
    this.stop(new EngineError('The engine was restarted while this was computing: try again.', undefined, 'no-engine'), false);
  }

  /** Sends request `name`; resolves with its result (null where a newer request of its lane superseded it). */
  request<K extends RequestName>(name: K, params: ParamsOf<K>, options: RequestOptions<K> = {}): Promise<ReplyOf<K>> {
    const { onProgress, signal, transfer = [] } = options;
    return new Promise((resolve, reject) => {
      if (this.stopped) throw this.stopped;
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
      this.startWatching();
    });
  }

  /** Pings the worker while requests wait, and stops it once it has been silent too long. */
  private startWatching(): void {
    if (this.watch !== null) return;
    this.heard = true;
    this.unanswered = 0;
    this.watch = setInterval(() => {
      if (this.pending.size === 0) {
        this.stopWatching();
        return;
      }
      this.unanswered = this.heard ? 0 : this.unanswered + 1;
      if (this.unanswered >= UNANSWERED_PINGS_LIMIT) {
        const seconds = Math.round(SILENCE_LIMIT_MS / 1000);
        this.stop(new EngineError(`The engine worker stopped answering (silent for ${seconds} s): it crashed or the browser stopped it.`, undefined, 'no-engine'));
        return;
      }
      this.heard = false;
      this.port.postMessage({ kind: 'ping' }, { transfer: [] });
    }, PING_EVERY_MS);
  }

  private stopWatching(): void {
    if (this.watch !== null) clearInterval(this.watch);
    this.watch = null;
  }

  private stop(error: EngineError, tell = true): void {
    if (this.stopped) return;
    this.stopped = error;
    this.stopWatching();
    this.port.terminate();
    this.failAll(error);
    if (tell) this.events.onStopped?.(error);
  }

  private receive(message: FromWorker): void {
    this.heard = true;
    if (message.kind === 'pong') return;
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
