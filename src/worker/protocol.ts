/**
 * The typed message API between the UI and the engine worker. Every request carries an id; every
 * response names the request it answers. Only structured-cloneable data crosses: plain objects,
 * typed arrays (transferred, not copied) and serialised errors.
 */
import type { FeatureDashboard } from '../engine/analysis/featureDashboard';
import type { Manifest } from '../engine/bundle/manifest';
import type { SaeInfo } from '../engine/engine';
import type { BackendInfo, LoadProgress } from '../engine/types';
import type { CorpusDashboardsInfo, CorpusProgress } from './corpusDashboards';
import type { LiveFeature } from './liveFeature';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

export type WorkerRequest =
  | { kind: 'load'; id: number; bundleUrl: string; backend: BackendPreference }
  /**
   * Tokenises `text` and encodes it with SAE `saeId`. A newer one supersedes any still waiting in
   * the same `lane` (default "prompt"); lanes let two views compute without dropping each other's.
   */
  | { kind: 'analyze'; id: number; text: string; saeId: string; lane?: string }
  /**
   * Loads one of the reader's SAEs (see ../state/userSaes) and adds it to the engine, with progress
   * per file; `saeId` gives it that id (as when it is loaded again after a reload), else one is made.
   */
  | { kind: 'addSae'; id: number; source: UserSaeSource; saeId?: string }
  | { kind: 'removeSae'; id: number; saeId: string }
  /** What the weights alone say of feature `index` (logit effects, decoder neighbours), for SAEs without dashboards. */
  | { kind: 'liveFeature'; id: number; saeId: string; index: number }
  /**
   * Computes SAE `saeId`'s dashboards over the first `nSeqs` sequences of the bundle's corpus (kept
   * for the session), with progress; runs a model batch at a time between other requests.
   */
  | { kind: 'corpusDashboards'; id: number; saeId: string; nSeqs: number }
  /** One feature's dashboard from those computed by a `corpusDashboards` request. */
  | { kind: 'corpusFeature'; id: number; saeId: string; nSeqs: number; index: number }
  /** Stops request `target` (a `corpusDashboards`), which then fails with the name CANCELLED; has no answer of its own. */
  | { kind: 'cancel'; id: number; target: number };

/** Where a reader's SAE comes from: files picked or dropped (paths keep their folder), or a URL. */
export type UserSaeSource =
  | { kind: 'files'; files: UserSaeFile[]; hookName?: string }
  | { kind: 'url'; url: string; hookName?: string };

export interface UserSaeFile {
  path: string;
  file: Blob;
}

/** A reader's SAE as loaded: its id and hook, and for a URL the files as downloaded (to keep them). */
export interface SaeAdded {
  saeId: string;
  hookName: string;
  /** every SAE now available */
  saes: SaeInfo[];
  /** for a URL source only: the files read, whole */
  downloaded?: UserSaeFile[];
}

export type WorkerResponse =
  | { kind: 'progress'; id: number; progress: LoadProgress }
  | { kind: 'loaded'; id: number; info: LoadedBundle }
  | { kind: 'analyzed'; id: number; result: PromptActivations }
  /** `saeId` was removed; `saes` lists every SAE now available. */
  | { kind: 'saesChanged'; id: number; saeId: string; saes: SaeInfo[] }
  | { kind: 'saeAdded'; id: number; added: SaeAdded }
  | { kind: 'liveFeature'; id: number; feature: LiveFeature }
  | { kind: 'corpusProgress'; id: number; progress: CorpusProgress }
  | { kind: 'corpusDashboards'; id: number; info: CorpusDashboardsInfo }
  | { kind: 'corpusFeature'; id: number; dashboard: FeatureDashboard }
  /** The request was dropped unrun because a newer one arrived first. */
  | { kind: 'superseded'; id: number }
  | { kind: 'failed'; id: number; error: SerializedError };

/** What the UI needs to know about a loaded bundle. */
export interface LoadedBundle {
  manifest: Manifest;
  backend: BackendInfo;
  saes: SaeInfo[];
}

/** Feature activations of one SAE on one prompt. */
export interface PromptActivations {
  text: string;
  saeId: string;
  /** token ids, BOS first */
  ids: number[];
  /** display strings, one per id */
  tokens: string[];
  /** the text had more tokens than the model's context and was cut to `nCtx` */
  truncated: boolean;
  nCtx: number;
  nTokens: number;
  dSae: number;
  acts: Float32Array /* [nTokens, dSae] */;
}

/** An Error flattened for postMessage; `source` names the file or input the problem is in. */
export interface SerializedError {
  name: string;
  message: string;
  source?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const source = (err as { source?: unknown }).source;
    return {
      name: err.name,
      message: err.message,
      ...(typeof source === 'string' ? { source } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}
