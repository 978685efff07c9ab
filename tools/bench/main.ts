/**
 * bench.html: the browser half of `npm run bench:model` (bench/model-saes.ts). It loads the bundle
 * and warms up every length, then offers `window.__benchRound()`: one round times, per length,
 * `repeats` runs of one model run fetching every hook the bundled SAEs read plus every SAE's
 * encoder — what the explorer does for one text — and as many runs of the model alone, so the
 * report can say where the time goes. The driver alternates our rounds with PyTorch's, so both
 * sides meet the same load on a shared machine. Opened by hand (without `&driven`), it runs one
 * round and prints it.
 */
import { Engine } from '../../src/engine/engine';
import { GraphBuilder } from '../../src/engine/onnx/graphBuilder';
import { createSession, type Session } from '../../src/engine/runtime';
import { ENCODER_PATHS, type EncoderPath } from '../../src/engine/sae/encoderBank';
import type { BackendInfo } from '../../src/engine/types';

export interface BenchLength {
  tokens: number;
  /** ms of each timed run of model + all SAE encoders */
  runsMs: number[];
  /** ms of each timed run of the model (with the same hooks) alone */
  modelRunsMs: number[];
  /** ms of each timed run of one encoder-shaped matmul, [tokens, d_in] × [d_in, d_sae] */
  matmulRunsMs: number[];
}

export interface BenchReady {
  backend: BackendInfo;
  /** how the SAE encoders ran (`?encoder=`, auto by default as in the app) */
  encoder: EncoderPath;
  crossOriginIsolated: boolean;
  cores: number;
  saes: string[];
  nCtx: number;
  lengths: number[];
  /** the matmul timed alone: the first SAE's d_in × d_sae */
  matmul: { dIn: number; dSae: number };
}

declare global {
  interface Window {
    __benchReady?: BenchReady | { error: string };
    __benchRound?: () => Promise<BenchLength[]>;
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

function encoderParam(): EncoderPath {
  const e = (params.get('encoder') ?? 'auto') as EncoderPath;
  if (ENCODER_PATHS.includes(e)) return e;
  throw new Error(`?encoder=${e} is not one of ${ENCODER_PATHS.join(', ')}.`);
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

async function timeMs(fn: () => Promise<unknown>, repeats: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

/** One MatMul with constant weights: how fast this runtime multiplies at an SAE encoder's shape. */
async function matmulSession(dIn: number, dSae: number): Promise<Session> {
  const g = new GraphBuilder('matmul');
  const x = g.input('x', 'float32', ['n_tokens', dIn]);
  const w = g.weight('w', Float32Array.from({ length: dIn * dSae }, (_, i) => Math.sin(i)), [dIn, dSae]);
  g.output(g.op('MatMul', [x, w]), 'y', 'float32', ['n_tokens', dSae]);
  return createSession(g.toModel());
}

async function main(): Promise<void> {
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL> (this build names no default bundle).');
  const repeats = Math.max(1, intParam('repeats', 7));
  const warmup = intParam('warmup', 2);
  const threads = params.has('threads') ? intParam('threads', 0) : undefined;
  const encoder = encoderParam();
  const engine = await Engine.load(new URL(bundle, location.href).href, { backend: backendParam(), wasmThreads: threads, encoder });
  const { n_ctx, d_vocab, bos_token_id } = engine.manifest.model;
  const wanted = (params.get('lengths') ?? '128,1024').split(',').map(Number);
  const lengths = [...new Set(wanted.map((t) => Math.min(t, n_ctx)))];
  const saes = engine.listSaes().map((s) => s.id);
  const hooks = [...new Set(engine.listSaes().map((s) => s.hookName))];
  const inputs = lengths.map((tokens) => randomIds(tokens, d_vocab, bos_token_id, tokens));
  const all = (ids: number[]) => engine.featureActsAll(ids, saes);
  const { d_in: dIn, d_sae: dSae } = engine.manifest.saes[0]!;
  const matmul = await matmulSession(dIn, dSae);
  const matmulFeeds = lengths.map((tokens) => ({
    x: { type: 'float32' as const, data: Float32Array.from({ length: tokens * dIn }, (_, i) => Math.cos(i)), dims: [tokens, dIn] },
  }));

  // Every length warms up before any is timed: measured, the first length timed ran 1.5–2× slower
  // than the same length timed second, with two warm-up runs of its own.
  statusEl.textContent = `Warming up on ${engine.backend.name}…`;
  for (const [i, ids] of inputs.entries()) {
    await timeMs(() => all(ids), warmup);
    await timeMs(() => matmul.run(matmulFeeds[i]!), warmup);
  }

  window.__benchRound = async () => {
    const round: BenchLength[] = [];
    for (const [i, tokens] of lengths.entries()) {
      statusEl.textContent = `Timing ${tokens} tokens on ${engine.backend.name}…`;
      const ids = inputs[i]!;
      round.push({
        tokens,
        runsMs: await timeMs(() => all(ids), repeats),
        modelRunsMs: await timeMs(() => engine.run(ids, hooks), repeats),
        matmulRunsMs: await timeMs(() => matmul.run(matmulFeeds[i]!), repeats),
      });
    }
    statusEl.textContent = `Round done on ${engine.backend.name} with ${engine.backend.threads} thread(s).`;
    return round;
  };
  window.__benchReady = {
    backend: engine.backend,
    encoder,
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    saes,
    nCtx: n_ctx,
    lengths,
    matmul: { dIn, dSae },
  };
  if (!params.has('driven')) resultEl.textContent = JSON.stringify(await window.__benchRound(), null, 2);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__benchReady = { error: message };
});
