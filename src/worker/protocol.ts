/**
 * The typed message API between the page and the engine worker. REQUESTS declares every request
 * once — its params, its result, the progress events it sends meanwhile, and its latest-only lane
 * if it has one; the worker answers each with one handler (./handlers.ts) and the page sends any of
 * them with one generic call (EngineClient.request). Any request can be cancelled: its handler sees
 * an AbortSignal.
 *
 * The page imports this module, so it holds types and plain data only, never engine code. Only
 * structured-cloneable data crosses: plain objects, typed arrays (transferred, not copied) and
 * serialised errors.
 */
import type { FeatureDashboard } from '../dashboardData/featureDashboard';
import type { AttentionPatterns } from '../engine/analysis/attentionPatterns';
import type { LiveSaeFigures } from '../engine/evaluation/liveEvaluation';
import type { FeatureAttribution } from '../engine/analysis/featureAttribution';
import type { CorpusInfo } from '../engine/analysis/heldoutCorpus';
import type { Manifest } from '../engine/bundle/manifest';
import type { SpliceAnalysis } from '../engine/evaluation/spliceAnalysis';
import type { GeneratedToken, Generation, GenerationSettings } from '../engine/generation/generate';
import type { FeatureSteer } from '../engine/generation/steering';
import type { Ablation, AblationSpec } from '../engine/interventions/ablation';
import type { SaeInfo } from '../engine/engine';
import type { EncoderPath } from '../engine/sae/encoderBank';
import type { BackendInfo, LoadEvent, LoadProgress } from '../engine/types';
import { EngineError, errorMessage, type ErrorCode } from '../errors/engineError';
import type { CorpusDashboardsInfo, CorpusProgress } from './corpusDashboards';
import type { LiveFeature } from './liveFeature';
import type { LatentMap } from '../dashboardData/latentMap';
import type { NearestLatents } from '../engine/tsne/nearestLatents';
import type { JointLatentMap } from '../engine/tsne/saeMap';
import type { TokenMap } from '../engine/tsne/tokenMap';
import type { TsneProgress, TsneSettings } from '../engine/tsne/tsne';

/**
 * One request's declaration. The type parameters are for the compiler only (`types` is never set);
 * `lane`, where present, makes the request latest-only: of the requests of one lane waiting while
 * another of its name runs, only the newest is kept, and the older ones are answered null.
 */
export interface RequestDef<Params, Result, Progress> {
  readonly lane?: (params: Params) => string;
  readonly types?: { params: Params; result: Result; progress: Progress };
}

/** A request answered once, in the order it came (`Progress`: what it reports meanwhile, if anything). */
function request<Params, Result, Progress = never>(): RequestDef<Params, Result, Progress> {
  return {};
}

/** A request whose older waiting copies, in the same lane, are dropped for the newest. */
function latestOnly<Params, Result, Progress = never>(
  lane: (params: Params) => string,
): RequestDef<Params, Result, Progress> & { readonly lane: (params: Params) => string } {
  return { lane };
}

export const REQUESTS = {
  /**
   * Loads the bundle whose folder is at `bundleUrl` (absolute), with progress per file and per step between;
   * with `files`, the Hugging Face model folder the reader gave (paths inside it), which `bundleUrl` then only names;
   * `fallbackCorpus`: the bundle whose held-out text a model without a corpus of its own re-tokenises.
   */
  load: request<{ bundleUrl: string; backend: BackendPreference; encoder?: EncoderPath; files?: UserSaeFile[]; fallbackCorpus?: string }, LoadedBundle, LoadEvent>(),
  /**
   * Tokenises `text` and encodes it with SAE `saeId`, whose files download on its first use (the
   * progress events). Lanes (default "prompt") let two views compute without dropping each other's requests.
   */
  analyze: latestOnly<{ text: string; saeId: string; lane?: string }, PromptActivations, LoadProgress>((p) => p.lane ?? 'prompt'),
  /**
   * Loads one of the reader's SAEs (see ../state/userSaes) and adds it to the engine, with progress
   * per file; `saeId` gives it that id (as when it is loaded again after a reload), else one is made
   * that is none of `reserved` (the ids this browser keeps for other models).
   */
  addSae: request<{ source: UserSaeSource; saeId?: string; reserved?: string[] }, SaeAdded, LoadProgress>(),
  /** Removes one of the reader's SAEs. */
  removeSae: request<{ saeId: string }, SaesChanged>(),
  /** What the weights alone say of feature `index` (logit effects, decoder neighbours), for SAEs without dashboards. */
  liveFeature: request<{ saeId: string; index: number }, LiveFeature>(),
  /**
   * Computes SAE `saeId`'s dashboards over the first `nSeqs` sequences of the bundle's corpus (kept
   * for the session), with progress; runs a model batch at a time between other requests.
   */
  corpusDashboards: request<{ saeId: string; nSeqs: number }, CorpusDashboardsInfo, CorpusProgress>(),
  /**
   * Feature `feature` of SAE `saeId` at token `dest` of `text`, split by the heads (and for an
   * attention SAE the source tokens) that wrote it; only the newest of a lane is computed.
   */
  attribution: latestOnly<{ text: string; saeId: string; feature: number; dest: number; lane?: string }, FeatureAttribution>(
    (p) => p.lane ?? 'attribution',
  ),
  /** The held-out corpus the corpus panels and measurements run over (tokenised on the first ask, when it is text). */
  corpusInfo: request<Record<string, never>, CorpusInfo>(),
  /** The reader's plain-text files become that corpus (null: back to the bundle's); computed panels are dropped. */
  useCorpus: request<{ files: { name: string; bytes: Uint8Array }[] | null }, CorpusInfo>(),
  /** One feature's dashboard from those computed by a `corpusDashboards` request. */
  corpusFeature: request<{ saeId: string; nSeqs: number; index: number }, FeatureDashboard>(),
  /** One feature's example groups as "show more" offers them (more top sequences, more per band), from the same pass. */
  moreExamples: request<{ saeId: string; nSeqs: number; index: number }, FeatureDashboard['groups']>(),
  /** SAE `saeId` measured on `nSeqs` held-out sequences spread over the corpus (L0, FVU, CE recovered…), with progress. */
  evaluateSae: request<{ saeId: string; nSeqs: number }, LiveSaeFigures, { done: number; total: number }>(),
  /** Every head's attention pattern on `text`; only the newest of a lane is computed. */
  attention: latestOnly<{ text: string; lane?: string }, AttentionPatterns>((p) => p.lane ?? 'attention'),
  /**
   * Continues `prompt` twice from the same seed, steered by `steers` and unsteered, streaming each
   * token as it comes (the progress events); Cancel stops it before the next token.
   */
  generate: request<{ prompt: string; settings: GenerationSettings; steers: FeatureSteer[] }, Generation, GeneratedToken>(),
  /** Feature `feature` of SAE `saeId` held at `value` (0: ablated) on `text`: the next-token and downstream changes. */
  ablate: latestOnly<AblationSpec & { text: string }, Ablation>(() => 'ablate'),
  /** SAE `saeId` spliced into the model on `text`: per-token reconstruction error and CE change, CE recovered. */
  splice: latestOnly<{ text: string; saeId: string }, SpliceAnalysis>(() => 'splice'),
  /** t-SNE of SAE `saeId`'s decoder directions; progress per slice of iterations, with the layout so far. */
  tsne: request<{ saeId: string; settings?: Partial<TsneSettings> }, LatentMap, TsneProgress>(),
  /** One t-SNE of the latents of several SAEs that read the same hook. */
  jointTsne: request<{ saeIds: string[]; settings?: Partial<TsneSettings> }, JointLatentMap, TsneProgress>(),
  /** The `k` latents of each SAE of `saeIds` whose decoder directions are nearest (cosine) to latent `index` of `saeId`. */
  nearestLatents: request<{ saeId: string; index: number; saeIds: string[]; k: number }, NearestLatents[]>(),
  /** t-SNE of the tokens of `text` by their codes in SAE `saeId` (the token map); progress as for tsne. */
  tokenTsne: request<{ text: string; saeId: string; settings?: Partial<TsneSettings> }, TokenMap, TsneProgress>(),
};

export type Requests = typeof REQUESTS;
export type RequestName = keyof Requests;
export type ParamsOf<K extends RequestName> = NonNullable<Requests[K]['types']>['params'];
export type ResultOf<K extends RequestName> = NonNullable<Requests[K]['types']>['result'];
export type ProgressOf<K extends RequestName> = NonNullable<Requests[K]['types']>['progress'];
/** What the page gets back: the result, or null for a latest-only request a newer one superseded. */
export type ReplyOf<K extends RequestName> = ResultOf<K> | (Requests[K] extends { readonly lane: unknown } ? null : never);

/**
 * Page → worker. `cancel` stops request `id`, which then fails with code 'cancelled' unless it has
 * finished; `ping` asks a worker that has requests in flight whether it still lives (it answers `pong`).
 */
export type ToWorker =
  | { [K in RequestName]: { kind: 'request'; id: number; name: K; params: ParamsOf<K> } }[RequestName]
  | { kind: 'cancel'; id: number }
  | { kind: 'ping' };

/** Worker → page: progress events, then one answer per request. */
export type FromWorker =
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'done'; id: number; result: unknown }
  /** dropped unrun because a newer request of its lane arrived first */
  | { kind: 'superseded'; id: number }
  | { kind: 'failed'; id: number; error: SerializedError }
  /** the answer to a ping: the worker's event loop is alive */
  | { kind: 'pong' };

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

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

/** `saeId` was removed; `saes` lists every SAE now available. */
export interface SaesChanged {
  saeId: string;
  saes: SaeInfo[];
}

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
  /** per id, whether it is a special token (drawn marked: it is not text) */
  special: boolean[];
  /** the text had more tokens than the model's context and was cut to `nCtx` */
  truncated: boolean;
  nCtx: number;
  nTokens: number;
  dSae: number;
  acts: Float32Array /* [nTokens, dSae] */;
}

/** An error flattened for postMessage; `source` names the file or input the problem is in. */
export interface SerializedError {
  message: string;
  code: ErrorCode;
  source?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof EngineError) return { message: err.message, code: err.code, ...(err.source !== undefined ? { source: err.source } : {}) };
  return { message: errorMessage(err), code: 'internal' };
}

/** The EngineError a serialised one came from, code and source included. */
export function deserializeError(error: SerializedError): EngineError {
  return new EngineError(error.message, error.source, error.code);
}
