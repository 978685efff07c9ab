/**
 * The module worker that hosts the engine, so tokenising and running ONNX never block the page.
 * Loads are run as they come; prompt analyses go through LatestOnly, so while one runs only the
 * newest waits and older ones are answered `superseded`. Analyses and corpus passes take turns on
 * the model (EngineTurns): a corpus pass gives way between its batches.
 */
import { Engine } from '../engine/engine';
import { addUserSae } from './addUserSae';
import { CorpusDashboardStore, type CorpusProgress } from './corpusDashboards';
import { EngineTurns } from './engineTurns';
import { LatestOnly } from './latestOnly';
import { liveFeature } from './liveFeature';
import { explainFetchFailure } from './userSaeFiles';
import {
  serializeError,
  type PromptActivations,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';

type AnalyzeRequest = Extract<WorkerRequest, { kind: 'analyze' }>;
type LoadRequest = Extract<WorkerRequest, { kind: 'load' }>;
type SaeRequest = Extract<WorkerRequest, { kind: 'addSae' | 'removeSae' }>;
type LiveFeatureRequest = Extract<WorkerRequest, { kind: 'liveFeature' }>;
type CorpusRequest = Extract<WorkerRequest, { kind: 'corpusDashboards' | 'corpusFeature' }>;

let engine: Promise<Engine> | null = null;
const turns = new EngineTurns();
const corpusDashboards = new CorpusDashboardStore(turns);
/** the corpus passes running, by request id, to cancel */
const running = new Map<number, AbortController>();

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

async function load(req: LoadRequest): Promise<void> {
  analyses.clear();
  corpusDashboards.forget();
  engine = Engine.load(req.bundleUrl, {
    backend: req.backend,
    onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
  });
  try {
    const loaded = await engine;
    post({
      kind: 'loaded',
      id: req.id,
      info: { manifest: loaded.manifest, backend: loaded.backend, saes: loaded.listSaes() },
    });
  } catch (err) {
    engine = null;
    post({ kind: 'failed', id: req.id, error: serializeError(err) });
  }
}

async function analyze(req: AnalyzeRequest): Promise<void> {
  if (engine === null) {
    throw new Error('No model is loaded: load a bundle before analysing text.');
  }
  const loaded = await engine;
  const { ids, tokens, truncated, nCtx } = loaded.tokenize(req.text);
  const computed = await turns.run(() => loaded.featureActs(ids, req.saeId));
  // A copy we own, so transferring it can never detach an array the engine keeps.
  const acts = computed.acts.slice();
  const { nTokens, dSae } = computed;
  const result: PromptActivations = {
    text: req.text,
    saeId: req.saeId,
    ids,
    tokens,
    truncated,
    nCtx,
    nTokens,
    dSae,
    acts,
  };
  post({ kind: 'analyzed', id: req.id, result }, [acts.buffer as ArrayBuffer]);
}

/** Adds or removes one of the reader's SAEs; answers with every SAE now listed. */
async function changeSaes(req: SaeRequest): Promise<void> {
  try {
    if (engine === null) throw new Error('No model is loaded yet: wait for it before adding an SAE.');
    const loaded = await engine;
    if (req.kind === 'removeSae') {
      corpusDashboards.forget(req.saeId);
      loaded.removeSae(req.saeId);
      post({ kind: 'saesChanged', id: req.id, saeId: req.saeId, saes: loaded.listSaes() });
      return;
    }
    const added = await addUserSae(loaded, req.source, {
      ...(req.saeId !== undefined ? { saeId: req.saeId } : {}),
      onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
    });
    corpusDashboards.forget(added.saeId);
    post({ kind: 'saeAdded', id: req.id, added: { ...added, saes: loaded.listSaes() } });
  } catch (err) {
    post({ kind: 'failed', id: req.id, error: serializeError(explainFetchFailure(err)) });
  }
}

async function describeFeature(req: LiveFeatureRequest): Promise<void> {
  try {
    if (engine === null) throw new Error('No model is loaded yet: wait for it before opening a feature.');
    post({ kind: 'liveFeature', id: req.id, feature: await liveFeature(await engine, req.saeId, req.index) });
  } catch (err) {
    post({ kind: 'failed', id: req.id, error: serializeError(err) });
  }
}

async function corpusRequest(req: CorpusRequest): Promise<void> {
  try {
    if (engine === null) throw new Error('No model is loaded yet: wait for it before computing corpus panels.');
    const loaded = await engine;
    if (req.kind === 'corpusFeature') {
      post({ kind: 'corpusFeature', id: req.id, dashboard: await corpusDashboards.feature(req.saeId, req.nSeqs, req.index) });
      return;
    }
    const stop = new AbortController();
    running.set(req.id, stop);
    try {
      const onProgress = (progress: CorpusProgress) => post({ kind: 'corpusProgress', id: req.id, progress });
      post({ kind: 'corpusDashboards', id: req.id, info: await corpusDashboards.compute(loaded, req.saeId, req.nSeqs, onProgress, stop.signal) });
    } finally {
      running.delete(req.id);
    }
  } catch (err) {
    post({ kind: 'failed', id: req.id, error: serializeError(err) });
  }
}

const analyses = new LatestOnly<AnalyzeRequest>(
  analyze,
  (req) => post({ kind: 'superseded', id: req.id }),
  (req, err) => post({ kind: 'failed', id: req.id, error: serializeError(err) }),
  (req) => req.lane ?? 'prompt',
);

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  switch (req.kind) {
    case 'load':
      void load(req);
      break;
    case 'analyze':
      analyses.submit(req);
      break;
    case 'addSae':
    case 'removeSae':
      void changeSaes(req);
      break;
    case 'liveFeature':
      void describeFeature(req);
      break;
    case 'corpusDashboards':
    case 'corpusFeature':
      void corpusRequest(req);
      break;
    case 'cancel':
      running.get(req.target)?.abort();
      break;
  }
});
