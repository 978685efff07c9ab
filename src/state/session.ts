/**
 * Connects the stores to the engine worker: loads the bundle, then recomputes the prompt's
 * activations whenever the text (after a pause in typing) or the SAE changes. Every other request
 * of the protocol goes through `request`.
 */
import { EngineError } from '../errors/engineError';
import { EngineClient, startEngineWorker, type RequestOptions } from '../worker/client';
import type { ParamsOf, ReplyOf, RequestName } from '../worker/protocol';
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
  client = new EngineClient(startEngineWorker());
  usePromptStore.subscribe((state, prev) => {
    if (state.saeId !== prev.saeId) schedule(0);
    else if (state.text !== prev.text) schedule(TYPING_DEBOUNCE_MS);
  });
  void loadBundle();
}

/**
 * Sends request `name` of the protocol (../worker/protocol.ts) to the engine worker, for any store
 * or view; fails with code 'no-engine' before the session has started.
 */
export function request<K extends RequestName>(name: K, params: ParamsOf<K>, opts?: RequestOptions<K>): Promise<ReplyOf<K>> {
  if (!client) return Promise.reject(new EngineError('The engine has not been started.', undefined, 'no-engine'));
  return client.request(name, params, opts);
}

/** Loads (again) the bundle the page was opened with, e.g. after a failed load. */
export async function loadBundle(): Promise<void> {
  if (!client || !options) return;
  const load = useLoadStore.getState();
  load.begin(options.bundleUrl);
  try {
    const info = await client.request('load', { bundleUrl: options.bundleUrl, backend: options.backend }, { onProgress: (p) => useLoadStore.getState().progress(p) });
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
    latestAnalysis++; // an answer still on its way is for a text that is gone
    usePromptStore.getState().clearResult();
    return;
  }
  requestLabels(saeId);
  const id = ++latestAnalysis;
  usePromptStore.getState().computeStarted();
  try {
    const result = await client.request('analyze', { text, saeId }, {
      onProgress: (p) => id === latestAnalysis && usePromptStore.getState().downloading(p),
    });
    if (result === null || id !== latestAnalysis) return;
    usePromptStore.getState().computed(result);
  } catch (err) {
    if (id !== latestAnalysis) return;
    const sae = useLoadStore.getState().saes.find((s) => s.id === saeId);
    usePromptStore.getState().computeFailed(toAppError(`SAE “${sae?.title ?? saeId}” could not be run on this text`, err));
  }
}
