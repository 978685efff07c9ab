/**
 * gpt2-bench.html: the browser half of `npm run bench:gpt2 -- --browser` (bench/gpt2.ts). It builds
 * the hooked graph of the GPT-2 folder at `?model=` step by step, as the engine does when the app
 * opens a Hugging Face model (fetch, read and process the weights, write the graph, create the
 * session), reports each step's time, and offers `window.__gpt2Round()`: one timed forward pass.
 */
import { hfManifest, type HfManifest } from '../../src/engine/bundle/hfFolder';
import { buildGpt2Graph } from '../../src/engine/model/gpt2Graph';
import { readGpt2Weights } from '../../src/engine/model/gpt2Weights';
import { HookedModel } from '../../src/engine/model/hookedModel';
import { processWeights } from '../../src/engine/model/weightProcessing';
import { initRuntime } from '../../src/engine/runtime';
import type { BackendInfo } from '../../src/engine/types';

export interface Gpt2BenchReady {
  backend: BackendInfo;
  crossOriginIsolated: boolean;
  /** milliseconds of each step */
  fetchMs: number;
  processMs: number;
  graphMs: number;
  sessionMs: number;
  graphBytes: number;
  ids: number[];
}

declare global {
  interface Window {
    __gpt2Ready?: Gpt2BenchReady | { error: string };
    __gpt2Round?: () => Promise<number>;
  }
}

const params = new URLSearchParams(location.search);
const status = document.getElementById('status')!;

async function main(): Promise<void> {
  const folder = new URL(params.get('model') ?? 'gpt2-small/', location.href).href;
  const tokens = Number(params.get('tokens') ?? 128);
  const backend = await initRuntime('wasm', Number(params.get('threads') ?? 2));
  const t0 = performance.now();
  const config = await (await fetch(new URL('config.json', folder))).json();
  const manifest = hfManifest(config, folder) as HfManifest;
  const bytes = new Uint8Array(await (await fetch(new URL('model.safetensors', folder))).arrayBuffer());
  const t1 = performance.now();
  status.textContent = 'Processing the weights…';
  const { config: c, processing } = manifest.hf;
  const weights = processWeights(await readGpt2Weights(bytes, c), c, processing);
  const t2 = performance.now();
  const graph = buildGpt2Graph(weights, c);
  const t3 = performance.now();
  status.textContent = 'Creating the session…';
  const model = await HookedModel.create(graph, manifest.model);
  const t4 = performance.now();
  const ids = Array.from({ length: tokens }, (_, i) => (i * 7919) % c.dVocab);
  await model.run(ids); // onnxruntime plans and allocates on the first run
  window.__gpt2Round = async () => {
    const start = performance.now();
    await model.run(ids);
    return performance.now() - start;
  };
  window.__gpt2Ready = { backend, crossOriginIsolated: self.crossOriginIsolated, fetchMs: t1 - t0, processMs: t2 - t1, graphMs: t3 - t2, sessionMs: t4 - t3, graphBytes: graph.byteLength, ids };
  status.textContent = 'Ready.';
}

main().catch((err: unknown) => {
  window.__gpt2Ready = { error: err instanceof Error ? err.message : String(err) };
  status.textContent = `Failed: ${String(err)}`;
});
