/**
 * The UI's handle on the engine worker: promises over the message protocol. Views and stores use
 * this; nothing on the main thread imports the engine itself.
 */
import type { SaeInfo } from '../engine/engine';
import type { LoadProgress } from '../engine/types';
import type { FeatureDashboard } from '../engine/analysis/featureDashboard';
import type { CorpusDashboardsInfo, CorpusProgress } from './corpusDashboards';
import type { LiveFeature } from './liveFeature';
import type {
  BackendPreference,
  LoadedBundle,
  PromptActivations,
  SaeAdded,
  SerializedError,
  UserSaeSource,
  WorkerRequest,
  WorkerResponse,
} from './protocol';

/** An error that crossed from the worker; keeps the file or input it names. */
export class WorkerError extends Error {
  readonly source?: string;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    if (error.source !== undefined) this.source = error.source;
  }
}

export interface SaesChanged {
  saeId: string;
  saes: SaeInfo[];
}

/** A request as the caller writes it; the client adds the id. */
type RequestBody = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (p: LoadProgress) => void;
  onCorpusProgress?: (p: CorpusProgress) => void;
}

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sae-explorer-engine',
    });
    this.worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => this.receive(e.data));
    // The worker script itself failed (a syntax error, a chunk that did not load): nothing will answer.
    this.worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.failAll(
        new WorkerError({
          name: 'WorkerError',
          message: `The engine worker stopped: ${e.message || 'its script could not be loaded'}. Reload the page to try again.`,
          source: 'engine.worker.js',
        }),
      );
    });
  }

  /** Loads a bundle (absolute URL of its folder); progress arrives per file. */
  load(bundleUrl: string, backend: BackendPreference, onProgress?: (p: LoadProgress) => void): Promise<LoadedBundle> {
    return this.request<LoadedBundle>({ kind: 'load', bundleUrl, backend }, onProgress);
  }

  /**
   * Feature activations of `text` under SAE `saeId`; null when a newer request of the same lane
   * superseded it.
   */
  analyze(text: string, saeId: string, lane?: string): Promise<PromptActivations | null> {
    return this.request<PromptActivations | null>({ kind: 'analyze', text, saeId, ...(lane ? { lane } : {}) });
  }

  /**
   * Loads one of the reader's SAEs into the engine (as `saeId` when given), with progress per file;
   * resolves with its id, its hook and the SAEs now listed.
   */
  addSae(source: UserSaeSource, saeId?: string, onProgress?: (p: LoadProgress) => void): Promise<SaeAdded> {
    return this.request<SaeAdded>({ kind: 'addSae', source, ...(saeId !== undefined ? { saeId } : {}) }, onProgress);
  }

  /** Logit effects and decoder neighbours of one feature, computed from the SAE's weights. */
  liveFeature(saeId: string, index: number): Promise<LiveFeature> {
    return this.request<LiveFeature>({ kind: 'liveFeature', saeId, index });
  }

  /**
   * Computes SAE `saeId`'s dashboards over the corpus's first `nSeqs` sequences in the worker (or
   * recalls them); aborting `signal` stops it, and it fails with an error named CANCELLED.
   */
  corpusDashboards(saeId: string, nSeqs: number, onProgress: (p: CorpusProgress) => void, signal?: AbortSignal): Promise<CorpusDashboardsInfo> {
    const { id, promise } = this.send<CorpusDashboardsInfo>({ kind: 'corpusDashboards', saeId, nSeqs }, { onCorpusProgress: onProgress });
    signal?.addEventListener('abort', () => this.worker.postMessage({ kind: 'cancel', id: this.nextId++, target: id } satisfies WorkerRequest), { once: true });
    return promise;
  }

  /** One feature's dashboard out of those `corpusDashboards` computed. */
  corpusFeature(saeId: string, nSeqs: number, index: number): Promise<FeatureDashboard> {
    return this.request<FeatureDashboard>({ kind: 'corpusFeature', saeId, nSeqs, index });
  }

  removeSae(saeId: string): Promise<SaesChanged> {
    return this.request<SaesChanged>({ kind: 'removeSae', saeId });
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new Error('The engine worker was terminated.'));
  }

  private request<T>(
    body: RequestBody,
    onProgress?: (p: LoadProgress) => void,
  ): Promise<T> {
    return this.send<T>(body, { onProgress }).promise;
  }

  private send<T>(body: RequestBody, listeners: Pick<Pending, 'onProgress' | 'onCorpusProgress'>): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...listeners });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
    return { id, promise };
  }

  private receive(msg: WorkerResponse): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    switch (msg.kind) {
      case 'progress':
        pending.onProgress?.(msg.progress);
        return;
      case 'corpusProgress':
        pending.onCorpusProgress?.(msg.progress);
        return;
      case 'corpusDashboards':
        pending.resolve(msg.info);
        break;
      case 'corpusFeature':
        pending.resolve(msg.dashboard);
        break;
      case 'loaded':
        pending.resolve(msg.info);
        break;
      case 'analyzed':
        pending.resolve(msg.result);
        break;
      case 'saesChanged':
        pending.resolve({ saeId: msg.saeId, saes: msg.saes } satisfies SaesChanged);
        break;
      case 'saeAdded':
        pending.resolve(msg.added);
        break;
      case 'liveFeature':
        pending.resolve(msg.feature);
        break;
      case 'superseded':
        pending.resolve(null);
        break;
      case 'failed':
        pending.reject(new WorkerError(msg.error));
        break;
    }
    this.pending.delete(msg.id);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
