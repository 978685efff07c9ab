/**
 * steer-bench.html: the browser half of `npm run bench:steering` (bench/steering.ts). It loads the
 * bundle, builds the prompt from the held-out corpus, and offers `window.__steerRound()`: one timed
 * side-by-side generation (steered and unsteered, greedy, cross-scored: what the steering page runs)
 * and one timed splice analysis, with the tokens each produced, so the driver can check PyTorch made
 * the same ones.
 */
import { Engine } from '../../src/engine/engine';
import { spliceAnalysis } from '../../src/engine/evaluation/spliceAnalysis';
import { generate } from '../../src/engine/generation/generate';
import { deltaPointFor } from '../../src/engine/model/deltaPoint';
import type { BackendInfo } from '../../src/engine/types';

export interface SteerBenchReady {
  backend: BackendInfo;
  crossOriginIsolated: boolean;
  cores: number;
  /** token ids, BOS first, as our tokenizer read the prompt and the splice text */
  promptIds: number[];
  spliceIds: number[];
  /** the steering input the feature's hook reaches, and the SAE's hook */
  point: string;
  hook: string;
}

export interface SteerBenchRound {
  generateMs: number;
  steeredIds: number[];
  unsteeredIds: number[];
  spliceMs: number;
  ceSpliced: number;
}

declare global {
  interface Window {
    __steerReady?: SteerBenchReady | { error: string };
    __steerRound?: () => Promise<SteerBenchRound>;
  }
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;

function num(name: string, fallback: number): number {
  const v = Number(params.get(name) ?? fallback);
  if (!Number.isFinite(v)) throw new Error(`?${name}=${params.get(name)} is not a number.`);
  return v;
}

async function main(): Promise<void> {
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL> (this build names no default bundle).');
  const threads = params.has('threads') ? num('threads', 0) : undefined;
  const engine = await Engine.load(new URL(bundle, location.href).href, { backend: 'wasm', wasmThreads: threads });
  const heldout = engine.manifest.data?.heldout;
  if (!heldout) throw new Error('The bundle has no held-out corpus to take the prompt from.');
  const corpus = new Uint16Array((await engine.bundle.bytes(heldout.path)).slice().buffer);
  const seq = (s: number) => Array.from(corpus.subarray(s * heldout.seq_len + 1, (s + 1) * heldout.seq_len));
  // Text decoded from corpus tokens, so it reads as the corpus does; its ids are what our tokenizer makes of it.
  const promptText = engine.tokenizer.decode(seq(0).slice(0, num('prompt', 64) - 1));
  const spliceText = engine.tokenizer.decode([...seq(1), ...seq(2), ...seq(3)].slice(0, num('splice', 256) - 1));
  const saeId = params.get('sae') ?? 'L2-resid-topk';
  const sae = await engine.sae(saeId);
  const steers = [{ saeId, feature: num('feature', 1654), mode: 'add' as const, value: num('value', 1), where: { kind: 'all' as const } }];
  const settings = { temperature: 0, topK: 0, topP: 1, maxTokens: num('tokens', 64), seed: 1 };
  const round = async (): Promise<SteerBenchRound> => {
    let t = performance.now();
    const g = await generate(engine, promptText, settings, steers);
    const generateMs = performance.now() - t;
    t = performance.now();
    const s = await spliceAnalysis(engine, spliceText, saeId);
    const spliceMs = performance.now() - t;
    return { generateMs, steeredIds: g.steered.ids, unsteeredIds: g.unsteered.ids, spliceMs, ceSpliced: s.ceSpliced };
  };
  statusEl.textContent = `Warming up on ${engine.backend.name}…`;
  await round();
  window.__steerRound = round;
  window.__steerReady = {
    backend: engine.backend,
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    promptIds: engine.tokenize(promptText).ids,
    spliceIds: engine.tokenize(spliceText).ids,
    point: deltaPointFor(sae.hookName, engine.manifest.model.steer_inputs)!,
    hook: sae.hookName,
  };
  statusEl.textContent = 'Ready.';
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__steerReady = { error: message };
});
