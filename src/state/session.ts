/**
 * Connects the stores to the engine worker: loads the bundle, then recomputes the prompt's
 * activations whenever the text (after a pause in typing) or the SAE changes. Every other request
 * of the protocol goes through `request`.
 *
 * Every load starts a fresh worker, so "Load again" really retries: a chunk or wasm file that failed
 * to download is fetched anew (a browser keeps a failed dynamic import failed for the life of the
 * worker). A worker that dies or stops answering once the bundle is loaded is replaced the same way,
 * and the reader told; the prompt lives in the page and the reader's SAEs come back from IndexedDB.
 */
import { EngineError } from '../errors/engineError';
import { EngineClient, startEngineWorker, type RequestOptions } from '../worker/client';
import type { ParamsOf, ReplyOf, RequestName, UserSaeFile } from '../worker/protocol';
import { addressWithBackend, type AppOptions } from './appOptions';
import { toAppError } from './appError';
import { keptModel } from './keptModelsDb';
import { addressWithModel, keptModelParam, keptModelUrl } from './modelAddress';
import { requestLabels } from './labelStore';
import { useLoadStore } from './loadStore';
import { usePromptStore } from './promptStore';

/** Pause in typing before the prompt is recomputed. */
export const TYPING_DEBOUNCE_MS = 200;

/** A worker that stops again this soon after being restarted is not restarted again: the reader decides. */
export const RESTART_AGAIN_AFTER_MS = 60_000;

let client: EngineClient | null = null;
let options: AppOptions | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Increases with every analysis sent; answers to older ones are ignored. */
let latestAnalysis = 0;
let lastRestart = -Infinity;
/** The files of the model the page opened from what the reader gave, for loading it again without reading storage */
let modelFiles: UserSaeFile[] | null = null;
/** The last load was of files the reader gave, and it failed */
let givenFailed = false;

/**
 * `lazy`: the engine waits for the first view that needs it (ensureEngine), so an embed of
 * precomputed panels starts no worker and downloads no model.
 */
export function startSession(opts: AppOptions, { lazy = false }: { lazy?: boolean } = {}): void {
  if (options) return;
  options = opts;
  usePromptStore.subscribe((state, prev) => {
    if (state.saeId !== prev.saeId) schedule(0);
    else if (state.text !== prev.text) schedule(TYPING_DEBOUNCE_MS);
  });
  // Precomputed data is found beside the bundle, before it loads.
  if (lazy) useLoadStore.setState({ bundleUrl: opts.bundleUrl });
  else void loadBundle();
}

/** Starts the engine if a lazy session has not yet: for views that compute live. */
export function ensureEngine(): void {
  if (options && !client) void loadBundle();
}

/**
 * Sends request `name` of the protocol (../worker/protocol.ts) to the engine worker, for any store
 * or view; fails with code 'no-engine' before the session has started.
 */
export function request<K extends RequestName>(name: K, params: ParamsOf<K>, opts?: RequestOptions<K>): Promise<ReplyOf<K>> {
  if (!client) return Promise.reject(new EngineError('The engine has not been started.', undefined, 'no-engine'));
  return client.request(name, params, opts);
}

/** The backend the address asked for, so a failed load on a forced WebGPU can offer wasm. */
export function requestedBackend(): AppOptions['backend'] | null {
  return options?.backend ?? null;
}

/** Loads again on the wasm backend, and says so in the address so that a reload keeps the choice. */
export function switchToWasm(): void {
  if (!options) return;
  options = { ...options, backend: 'wasm' };
  history.replaceState(history.state, '', addressWithBackend(window.location.href, 'wasm'));
  void loadBundle();
}

/** Loads (again) the bundle the page was opened with, in a fresh engine worker, e.g. after a failed load. */
export async function loadBundle(): Promise<void> {
  if (!options) return;
  givenFailed = false;
  await load(options, modelFiles, 'The model bundle could not be loaded');
}

/**
 * Opens the Hugging Face model folder the reader gave (`files`, to be kept as `name`) in a fresh
 * engine worker, as the address would open it with `?model=local:<name>&processing=…`. Once it has
 * loaded it is the page's model, and the address says so; if it fails, the card says why, and
 * loading again goes back to the model before. Resolves whether it loaded.
 */
export async function openGivenModel(name: string, files: UserSaeFile[], processing: string | null): Promise<boolean> {
  if (!options) return false;
  const next: AppOptions = { ...options, bundleUrl: keptModelUrl(name, processing, document.baseURI), keptModel: name };
  givenFailed = true;
  if (!(await load(next, files, 'The model could not be opened from the files you gave'))) return false;
  givenFailed = false;
  options = next;
  modelFiles = files;
  const oldURL = window.location.href;
  history.replaceState(history.state, '', addressWithModel(oldURL, keptModelParam(name), processing));
  // The route went back to the prompt: replaceState tells the views nothing of its own.
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: window.location.href }));
  return true;
}

/** Whether the load that failed was of files the reader gave: loading again then reopens the model before. */
export function givenModelFailed(): boolean {
  return givenFailed;
}

/** Loads `opts` in a fresh worker, from `files` where given (else, for a kept model, from this browser's copy). */
async function load(opts: AppOptions, files: UserSaeFile[] | null, failure: string): Promise<boolean> {
  const engine = startWorker();
  useLoadStore.getState().begin(opts.bundleUrl);
  try {
    const given = files ?? (opts.keptModel === null ? null : await keptModelFiles(opts.keptModel));
    const params = { bundleUrl: opts.bundleUrl, backend: opts.backend, encoder: opts.encoder, fallbackCorpus: opts.fallbackCorpus };
    const info = await engine.request('load', given ? { ...params, files: given } : params, {
      onProgress: (p) => {
        if (engine !== client) return;
        useLoadStore.getState().progress(p);
        // Each step's time in the page's User Timing too: the performance panel and bench:first-activations read it.
        if ('step' in p && p.ms !== undefined) performance.measure(`load: ${p.step}`, { end: performance.now(), duration: p.ms });
      },
    });
    if (engine !== client) return false;
    useLoadStore.getState().loaded(info);
    const prompt = usePromptStore.getState();
    const known = info.saes.some((s) => s.id === prompt.saeId);
    const first = info.saes[0];
    if (!known && first) prompt.setSaeId(first.id);
    else schedule(0);
    return true;
  } catch (err) {
    if (engine !== client) return false;
    useLoadStore.getState().failed(toAppError(failure, err));
    usePromptStore.getState().computeAbandoned();
    return false;
  }
}

/** The files of the model this browser keeps as `name`; gone (storage cleared, or forgotten), an error that says so. */
async function keptModelFiles(name: string): Promise<UserSaeFile[]> {
  const kept = await keptModel(name);
  if (!kept) {
    throw new EngineError(
      `The model “${name}” is no longer kept in this browser: it was forgotten, or the browser’s storage for this site was cleared. ` +
        'Give its folder again with “Open a model” at the top, or open the bundled model.',
      keptModelParam(name),
      'not-found',
    );
  }
  return kept.files;
}

/** Replaces the engine worker (and fails what the old one was still computing). */
function startWorker(): EngineClient {
  client?.close();
  const engine: EngineClient = new EngineClient(startEngineWorker(), { onStopped: (err) => engineStopped(engine, err) });
  client = engine;
  return engine;
}

/**
 * A loaded engine that dies is restarted at once, keeping the prompt and the reader's SAEs; one that
 * dies while loading fails the load, whose card offers "Load again", as does a second death soon after a restart.
 */
function engineStopped(engine: EngineClient, err: EngineError): void {
  if (engine !== client || useLoadStore.getState().status !== 'ready') return;
  if (Date.now() - lastRestart < RESTART_AGAIN_AFTER_MS) {
    useLoadStore.getState().failed(toAppError('The engine stopped again soon after a restart', err));
    usePromptStore.getState().computeAbandoned();
    return;
  }
  lastRestart = Date.now();
  useLoadStore.getState().engineRestarted(toAppError('The engine stopped, so it was restarted', err));
  void loadBundle();
}

/**
 * Computes the prompt again now: for an SAE that was selected before it could run (a reader's SAE,
 * still to be loaded again after a reload, on a model with no SAEs of its own).
 */
export function reanalyze(): void {
  schedule(0);
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
  const engine = client;
  usePromptStore.getState().computeStarted();
  try {
    const result = await engine.request('analyze', { text, saeId }, {
      onProgress: (p) => id === latestAnalysis && usePromptStore.getState().downloading(p),
    });
    if (result === null || id !== latestAnalysis) return;
    usePromptStore.getState().computed(result);
  } catch (err) {
    // A restarted engine computes the prompt again once it has loaded.
    if (id !== latestAnalysis || engine !== client) return;
    const sae = useLoadStore.getState().saes.find((s) => s.id === saeId);
    usePromptStore.getState().computeFailed(toAppError(`SAE “${sae?.title ?? saeId}” could not be run on this text`, err));
  }
}
