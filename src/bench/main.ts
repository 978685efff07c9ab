/**
 * bench.html: the browser half of `npm run bench:model` (bench/model-saes.ts). For each length it
 * times, after warm-up, one model run fetching every hook the bundled SAEs read plus every SAE's
 * encoder — what the explorer does for one text — and, separately, the model run alone, so the
 * report can say where the time goes. Results land in `window.__bench`.
 */
import { Engine } from '../engine/engine';
import type { BackendInfo } from '../engine/types';

export interface BenchLength {
  tokens: number;
  /** median ms of model + all SAE encoders */
  ms: number;
  /** median ms of the model run (with the same hooks) alone */
  modelMs: number;
  runsMs: number[];
}

export interface BenchReport {
  done: boolean;
  backend?: BackendInfo;
  crossOriginIsolated?: boolean;
  cores?: number;
  saes?: string[];
  nCtx?: number;
  lengths?: BenchLength[];
  error?: string;
}

declare global {
  interface Window {
    __bench?: BenchReport;
  }
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;
const resultEl = document.getElementById('result')!;

function intParam(name: string, fallback: number): number {
  const raw = params.get(name);
  const v = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new Error(`?${name}=${raw} is not a whole number ≥ 0.`);
  return v;
}

function backendParam(): 'auto' | 'wasm' | 'webgpu' {
  const b = params.get('backend') ?? 'wasm';
  if (b === 'auto' || b === 'wasm' || b === 'webgpu') return b;
  throw new Error(`?backend=${b} is not one of auto, wasm, webgpu.`);
}

/** BOS, then ids from a fixed-seed generator: the same kind of input the PyTorch side times. */
function randomIds(n: number, vocab: number, bos: number, seed: number): number[] {
  let state = seed >>> 0;
  const ids = [bos];
  for (let i = 1; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids.push(1 + (state % (vocab - 1)));
  }
  return ids;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timeMs(fn: () => Promise<unknown>, warmup: number, repeats: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

async function main(): Promise<void> {
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL> (this build names no default bundle).');
  const repeats = Math.max(1, intParam('repeats', 7));
  const warmup = intParam('warmup', 2);
  const engine = await Engine.load(new URL(bundle, location.href).href, { backend: backendParam() });
  const { n_ctx, d_vocab, bos_token_id } = engine.manifest.model;
  const wanted = (params.get('lengths') ?? '128,1024').split(',').map(Number);
  const lengths = [...new Set(wanted.map((t) => Math.min(t, n_ctx)))];
  const saes = engine.listSaes().map((s) => s.id);
  const hooks = [...new Set(engine.listSaes().map((s) => s.hookName))];
  // Loads every SAE before anything is timed.
  await engine.featureActsAll([bos_token_id], saes);

  const inputs = lengths.map((tokens) => randomIds(tokens, d_vocab, bos_token_id, tokens));
  // Every length warms up before any is timed: measured, the first length timed ran 1.5–2× slower
  // than the same length timed second, with two warm-up runs of its own.
  statusEl.textContent = `Warming up on ${engine.backend.name}…`;
  for (const ids of inputs) await timeMs(() => engine.featureActsAll(ids, saes), warmup, 0);

  const results: BenchLength[] = [];
  for (const [i, tokens] of lengths.entries()) {
    statusEl.textContent = `Timing ${tokens} tokens on ${engine.backend.name}…`;
    const ids = inputs[i]!;
    const runsMs = await timeMs(() => engine.featureActsAll(ids, saes), 1, repeats);
    const modelRuns = await timeMs(() => engine.run(ids, hooks), 1, repeats);
    results.push({ tokens, ms: median(runsMs), modelMs: median(modelRuns), runsMs });
  }
  window.__bench = {
    done: true,
    backend: engine.backend,
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    saes,
    nCtx: n_ctx,
    lengths: results,
  };
  statusEl.textContent = `Done on ${engine.backend.name} with ${engine.backend.threads} thread(s).`;
  resultEl.textContent = JSON.stringify(window.__bench, null, 2);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__bench = { done: true, error: message };
});
