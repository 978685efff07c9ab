/**
 * Connects the stores to the engine worker: loads the bundle, then recomputes the prompt's
 * activations whenever the text (after a pause in typing) or the SAE changes.
 */
import type { FeatureDashboard } from '../engine/analysis/featureDashboard';
import { EngineClient } from '../worker/client';
import type { CorpusDashboardsInfo, CorpusProgress } from '../worker/corpusDashboards';
import type { LiveFeature } from '../worker/liveFeature';
import type { PromptActivations } from '../worker/protocol';
import type { AppOptions } from './appOptions';
import { toAppError } from './appError';
import { requestLabels } from './labelStore';
import { useLoadStore } from './loadStore';
import { usePromptStore } from './promptStore';

/** Pause in typing before the prompt is recomputed. */
export const TYPING_DEBOUNCE_MS = 200;

let client: EngineClient | null = null;
let options: AppOptions | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Increases with every analysis sent; answers to older ones are ignored. */
let latestAnalysis = 0;

export function startSession(opts: AppOptions): void {
  if (client) return;
  options = opts;
  client = new EngineClient();
  usePromptStore.subscribe((state, prev) => {
    if (state.saeId !== prev.saeId) schedule(0);
    else if (state.text !== prev.text) schedule(TYPING_DEBOUNCE_MS);
  });
  void loadBundle();
}

/**
 * Feature activations of `text` for a view other than the prompt (a feature page's "test your
 * text"), in its own worker lane so that neither view drops the other's request; null when a newer
 * request of the same lane superseded it.
 */
/** The engine worker's handle, once the session has started (for the reader's own SAEs). */
export function engineClient(): EngineClient | null {
  return client;
}

export function analyzeText(text: string, saeId: string, lane: string): Promise<PromptActivations | null> {
  if (!client) return Promise.reject(new Error('The engine has not been started.'));
  return client.analyze(text, saeId, lane);
}

/** Logit effects and decoder neighbours of one feature of an SAE without dashboards (the reader's own), from its weights. */
export function liveFeature(saeId: string, index: number): Promise<LiveFeature> {
  if (!client) return Promise.reject(new Error('The engine has not been started.'));
  return client.liveFeature(saeId, index);
}

/**
 * SAE `saeId`'s dashboards over the corpus's first `nSeqs` sequences, computed in the worker (see
 * ../worker/corpusDashboards); aborting `signal` stops it.
 */
export function computeCorpusDashboards(saeId: string, nSeqs: number, onProgress: (p: CorpusProgress) => void, signal: AbortSignal): Promise<CorpusDashboardsInfo> {
  if (!client) return Promise.reject(new Error('The engine has not been started.'));
  return client.corpusDashboards(saeId, nSeqs, onProgress, signal);
}

/** One feature's dashboard out of those computeCorpusDashboards made. */
export function corpusFeature(saeId: string, nSeqs: number, index: number): Promise<FeatureDashboard> {
  if (!client) return Promise.reject(new Error('The engine has not been started.'));
  return client.corpusFeature(saeId, nSeqs, index);
}

/** Loads (again) the bundle the page was opened with, e.g. after a failed load. */
export async function loadBundle(): Promise<void> {
  if (!client || !options) return;
  const load = useLoadStore.getState();
  load.begin(options.bundleUrl);
  try {
    const info = await client.load(options.bundleUrl, options.backend, (p) => useLoadStore.getState().progress(p));
    useLoadStore.getState().loaded(info);
    const prompt = usePromptStore.getState();
    const known = info.saes.some((s) => s.id === prompt.saeId);
    const first = info.saes[0];
    if (!known && first) prompt.setSaeId(first.id);
    else schedule(0);
  } catch (err) {
    useLoadStore.getState().failed(toAppError('The model bundle could not be loaded', err));
  }
}

function schedule(delayMs: number): void {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void analyze();
  }, delayMs);
}

async function analyze(): Promise<void> {
  if (!client || useLoadStore.getState().status !== 'ready') return;
  const { text, saeId } = usePromptStore.getState();
  if (saeId === null) return;
  if (text.trim() === '') {
    usePromptStore.getState().clearResult();
    return;
  }
  requestLabels(saeId);
  const id = ++latestAnalysis;
  usePromptStore.getState().computeStarted();
  try {
    const result = await client.analyze(text, saeId);
    if (result === null || id !== latestAnalysis) return;
    usePromptStore.getState().computed(result);
  } catch (err) {
    if (id !== latestAnalysis) return;
    const sae = useLoadStore.getState().saes.find((s) => s.id === saeId);
    usePromptStore.getState().computeFailed(toAppError(`SAE “${sae?.title ?? saeId}” could not be run on this text`, err));
  }
}
