/**
 * The engine's answer to each request of the protocol, one handler per entry of REQUESTS. They share
 * the loaded engine, and the model's turns (EngineTurns): a prompt's analysis and a corpus pass
 * take turns on the model, the pass giving way between its batches.
 */
import { Engine, type EngineLoadOptions } from '../engine/engine';
import { attentionPatterns } from '../engine/analysis/attentionPatterns';
import { featureAttribution } from '../engine/analysis/featureAttribution';
import { evaluateSaeLive } from '../engine/evaluation/liveEvaluation';
import { spliceAnalysis } from '../engine/evaluation/spliceAnalysis';
import { generate } from '../engine/generation/generate';
import { ablate } from '../engine/interventions/ablation';
import { nearestLatents } from '../engine/tsne/nearestLatents';
import { jointLatentMap, saeLatentMap } from '../engine/tsne/saeMap';
import { tokenMap } from '../engine/tsne/tokenMap';
import { EngineError, throwIfCancelled } from '../errors/engineError';
import { addUserSae } from './addUserSae';
import { analyzePrompt } from './analyzePrompt';
import { CorpusDashboardStore } from './corpusDashboards';
import type { Handlers } from './dispatch';
import { EngineTurns } from './engineTurns';
import { liveFeature } from './liveFeature';
import { messagesDispatched } from './messagesDispatched';
import { explainFetchFailure } from './userSaeFiles';

export interface EngineHandlerEvents {
  /** a new bundle is loading: what waits to run on the old engine is moot */
  engineReplaced(): void;
  /** where onnxruntime's wasm binaries are served (the worker's build knows), to download them with progress */
  runtimeWasm?: EngineLoadOptions['runtimeWasm'];
}

export function engineHandlers(events: EngineHandlerEvents): Handlers {
  let engine: Promise<Engine> | null = null;
  const turns = new EngineTurns();
  const corpusDashboards = new CorpusDashboardStore(turns);

  /** The engine, once its bundle has loaded (waiting for a load under way). */
  function loaded(): Promise<Engine> {
    if (engine === null) return Promise.reject(new EngineError('No model is loaded yet: wait for it to load, then try again.', undefined, 'no-engine'));
    return engine;
  }

  return {
    async load({ bundleUrl, backend, encoder, files, fallbackCorpus }, { progress }) {
      events.engineReplaced();
      corpusDashboards.forget();
      const given = files && new Map(files.map((f) => [f.path, f.file]));
      const loading = Engine.load(bundleUrl, { backend, encoder, onProgress: progress, onStep: progress, runtimeWasm: events.runtimeWasm, ...(given ? { files: given } : {}), ...(fallbackCorpus !== undefined ? { fallbackCorpus } : {}) });
      engine = loading;
      try {
        const ready = await loading;
        return { manifest: ready.manifest, backend: ready.backend, saes: ready.listSaes() };
      } catch (err) {
        if (engine === loading) engine = null;
        throw err;
      }
    },

    async analyze({ text, saeId }, { transfer, progress }) {
      const ready = await loaded();
      const result = await turns.run(() => analyzePrompt(ready, text, saeId, progress));
      transfer(result.acts.buffer);
      return result;
    },

    async attribution({ text, saeId, feature, dest }) {
      const ready = await loaded();
      const { ids } = ready.tokenize(text);
      return turns.run(() => featureAttribution(ready, ids, saeId, feature, dest));
    },

    async evaluateSae({ saeId, nSeqs }, { progress, signal }) {
      const ready = await loaded();
      return evaluateSaeLive(ready, saeId, nSeqs, {
        onProgress: progress,
        signal,
        // A turn per batch, so a prompt's analysis gets through meanwhile, and Cancel is heard.
        step: async (work) => {
          await messagesDispatched();
          throwIfCancelled(signal, 'Measuring the SAE');
          return turns.run(work);
        },
      });
    },

    async attention({ text }, { transfer }) {
      const ready = await loaded();
      const patterns = await turns.run(() => attentionPatterns(ready, text));
      transfer(patterns.patterns.buffer);
      return patterns;
    },

    async addSae({ source, saeId, reserved }, { progress }) {
      const ready = await loaded();
      try {
        const added = await addUserSae(ready, source, { ...(saeId !== undefined ? { saeId } : {}), ...(reserved ? { reserved } : {}), onProgress: progress });
        corpusDashboards.forget(added.saeId);
        return { ...added, saes: ready.listSaes() };
      } catch (err) {
        throw explainFetchFailure(err);
      }
    },

    async removeSae({ saeId }) {
      const ready = await loaded();
      corpusDashboards.forget(saeId);
      ready.removeSae(saeId);
      return { saeId, saes: ready.listSaes() };
    },

    async liveFeature({ saeId, index }) {
      return liveFeature(await loaded(), saeId, index);
    },

    async corpusDashboards({ saeId, nSeqs }, { progress, signal }) {
      return corpusDashboards.compute(await loaded(), saeId, nSeqs, progress, signal);
    },

    async corpusInfo() {
      const ready = await loaded();
      return (await turns.run(() => ready.heldoutCorpus())).info;
    },

    async useCorpus({ files }) {
      const ready = await loaded();
      const info = await turns.run(() => ready.useCorpus(files));
      corpusDashboards.forget();
      return info;
    },

    async corpusFeature({ saeId, nSeqs, index }) {
      return corpusDashboards.feature(saeId, nSeqs, index);
    },

    async moreExamples({ saeId, nSeqs, index }) {
      return corpusDashboards.moreExamples(saeId, nSeqs, index);
    },

    async generate({ prompt, settings, steers }, { progress, signal }) {
      const ready = await loaded();
      return generate(ready, prompt, settings, steers, {
        onToken: progress,
        // A turn per model run, so a prompt's analysis gets through between tokens, and Stop is heard.
        step: async (work) => {
          await messagesDispatched();
          throwIfCancelled(signal, 'The generation');
          return turns.run(work);
        },
      });
    },

    async ablate({ text, ...spec }) {
      const ready = await loaded();
      return turns.run(() => ablate(ready, text, spec));
    },

    async splice({ text, saeId }) {
      const ready = await loaded();
      return turns.run(() => spliceAnalysis(ready, text, saeId));
    },

    async tsne({ saeId, settings }, { progress, signal, transfer }) {
      const map = await saeLatentMap(await loaded(), saeId, settings, { signal, onProgress: progress });
      transfer(map.xy.buffer);
      return map;
    },

    async jointTsne({ saeIds, settings }, { progress, signal, transfer }) {
      const map = await jointLatentMap(await loaded(), saeIds, settings, { signal, onProgress: progress });
      transfer(map.xy.buffer);
      return map;
    },

    async nearestLatents({ saeId, index, saeIds, k }) {
      return nearestLatents(await loaded(), saeId, index, saeIds, k);
    },

    async tokenTsne({ text, saeId, settings }, { progress, signal, transfer }) {
      const ready = await loaded();
      const { ids, tokens } = ready.tokenize(text);
      const codes = await turns.run(() => ready.featureActs(ids, saeId));
      const map = await tokenMap(tokens, codes, saeId, settings, { signal, onProgress: progress });
      transfer(map.xy.buffer);
      return map;
    },
  };
}
