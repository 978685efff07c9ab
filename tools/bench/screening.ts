/**
 * screening-bench.html: the browser half of `npm run bench:screening` (bench/screening.ts). Builds
 * the workload SAE (screeningWorkload.ts) with the trained column norms and biases of the bundle's
 * L2 residual TopK SAE, checks that the screened encoder's active set equals the dense one's, then
 * offers `window.__screenRound()`: one timed run each of the dense encoder, the screened encoder,
 * its int8 matmul alone and an fp32 matmul of the same shape.
 */
import { Engine } from '../../src/engine/engine';
import { GraphBuilder } from '../../src/engine/onnx/graphBuilder';
import { createSession, type Session } from '../../src/engine/runtime';
import { EncoderBank } from '../../src/engine/sae/encoderBank';
import { prepareEncoder, quantizeRows, ZERO_POINT } from '../../src/engine/sae/screening';
import type { SparseRows } from '../../src/engine/sae/sparseRows';
import type { BackendInfo, Sae } from '../../src/engine/types';
import { gemmWasm } from './kernels/gemmWasm';
import { WORKLOAD, workloadInputs, workloadWeights } from './screeningWorkload';

export interface ScreenBenchReady {
  backend: BackendInfo;
  crossOriginIsolated: boolean;
  cores: number;
  tokens: number;
  /** what the PyTorch side rebuilds the workload from */
  norms: number[];
  biases: number[];
  /** latents re-scored exactly per token, and whether the screened active sets equal the dense ones */
  candidatesPerToken: number;
  sameActiveSets: boolean;
  /** Σ of every active value, for the driver to compare with PyTorch's */
  checksum: number;
}

export interface ScreenRound {
  denseMs: number;
  screenedMs: number;
  int8MatmulMs: number;
  fp32MatmulMs: number;
  /** our WebAssembly SIMD128 matmul (tools/bench/kernels/gemm.c, weights packed beforehand), one thread, same shape as fp32MatmulMs */
  ourMatmulMs: number;
}

declare global {
  interface Window {
    __screenReady?: ScreenBenchReady | { error: string };
    __screenRound?: () => Promise<ScreenRound>;
  }
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function checksum(rows: SparseRows): number {
  return rows.values.reduce((a, b) => a + b, 0);
}

function sameRows(a: SparseRows, b: SparseRows): boolean {
  return a.rowStart.every((v, i) => v === b.rowStart[i]) && a.features.every((f, i) => f === b.features[i]);
}

async function matmulSession(name: 'MatMul' | 'MatMulInteger', weights: Float32Array | Int8Array): Promise<Session> {
  const { dIn, dSae } = WORKLOAD;
  const g = new GraphBuilder(name);
  const integer = name === 'MatMulInteger';
  const x = g.input('x', integer ? 'uint8' : 'float32', ['n_tokens', dIn]);
  const inputs = [x, g.weight('w', weights, [dIn, dSae]), ...(integer ? [g.constant(new Uint8Array([ZERO_POINT]), [])] : [])];
  g.output(g.op(name, inputs), 'y', integer ? 'int32' : 'float32', ['n_tokens', dSae]);
  return createSession(g.toModel());
}

/** Our SIMD matmul of x [tokens, d_in] by W [d_in, d_sae], with its operands in its own memory. */
function ourMatmul(x: Float32Array, w: Float32Array, tokens: number): () => Promise<void> {
  const { dIn, dSae } = WORKLOAD;
  const memory = new WebAssembly.Memory({ initial: 2 });
  const module = new WebAssembly.Module(Uint8Array.from(atob(gemmWasm), (c) => c.charCodeAt(0)));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const base = (instance.exports.__heap_base as WebAssembly.Global).value as number;
  const [a, b, packed] = [base, base + x.byteLength, base + x.byteLength + w.byteLength];
  const c = packed + w.byteLength;
  memory.grow(Math.ceil((c + 4 * tokens * dSae - memory.buffer.byteLength) / 65536));
  new Float32Array(memory.buffer, a, x.length).set(x);
  new Float32Array(memory.buffer, b, w.length).set(w);
  type Kernel = (...args: number[]) => void;
  (instance.exports.pack_b as Kernel)(dIn, dSae, b, packed);
  const gemm = instance.exports.gemm as Kernel;
  gemm(tokens, dIn, dSae, a, packed, c);
  const product = new Float32Array(memory.buffer, c, tokens * dSae);
  // the kernel is measured only if it multiplies right: one entry checked against a plain dot product
  const expected = Array.from({ length: dIn }, (_, i) => x[i]! * w[i * dSae + dSae - 1]!).reduce((s, v) => s + v, 0);
  if (Math.abs(product[dSae - 1]! - expected) > 1e-3 * Math.max(1, Math.abs(expected))) throw new Error('Our gemm kernel multiplies wrong.');
  return () => Promise.resolve(gemm(tokens, dIn, dSae, a, packed, c));
}

async function main(): Promise<void> {
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL>.');
  const tokens = Number(params.get('tokens') ?? 128);
  const threads = params.has('threads') ? Number(params.get('threads')) : undefined;
  const engine = await Engine.load(new URL(bundle, location.href).href, { backend: 'wasm', wasmThreads: threads });
  const trained = await engine.sae('L2-resid-topk');
  const norms = Array.from({ length: trained.dSae }, (_, j) => Math.hypot(...Array.from({ length: trained.dIn }, (_, i) => trained.weights.W_enc[i * trained.dSae + j]!)));
  const biases = Array.from(trained.weights.b_enc);
  statusEl.textContent = 'Building the workload…';
  const { wEnc, bEnc } = workloadWeights(norms, biases);
  const { dIn, dSae, k } = WORKLOAD;
  const sae: Sae = {
    id: 'gpt2-sized-topk',
    title: 'GPT-2-small-sized TopK SAE (random)',
    format: 'saelens',
    architecture: 'topk',
    hookName: 'blocks.6.hook_resid_pre',
    dIn,
    dSae,
    k,
    applyBDecToInput: false,
    weights: { W_enc: wEnc, b_enc: bEnc, b_dec: new Float32Array(dIn), W_dec: new Float32Array(0) },
  };
  const x = workloadInputs(tokens);
  const hook = new Map([[sae.hookName, x]]);
  const dense = await EncoderBank.create([sae], 'dense');
  const screened = await EncoderBank.create([sae], 'screened');
  const [a] = await dense.encodeSparse(hook, tokens);
  const [b] = await screened.encodeSparse(hook, tokens);
  const candidatesPerToken = screened.screenStats.candidates / tokens;
  const fp32 = await matmulSession('MatMul', wEnc);
  const int8 = await matmulSession('MatMulInteger', prepareEncoder(sae as Sae & { architecture: 'topk' }).q);
  const q = quantizeRows(x, tokens, dIn).q;
  const ours = ourMatmul(x, wEnc, tokens);
  const round = async (): Promise<ScreenRound> => ({
    denseMs: await timed(() => dense.encodeSparse(hook, tokens)),
    screenedMs: await timed(() => screened.encodeSparse(hook, tokens)),
    int8MatmulMs: await timed(() => int8.run({ x: { type: 'uint8', data: q, dims: [tokens, dIn] } })),
    fp32MatmulMs: await timed(() => fp32.run({ x: { type: 'float32', data: x, dims: [tokens, dIn] } })),
    ourMatmulMs: await timed(ours),
  });
  statusEl.textContent = 'Warming up…';
  for (let i = 0; i < 2; i++) await round();
  window.__screenRound = round;
  window.__screenReady = {
    backend: engine.backend,
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    tokens,
    norms,
    biases,
    candidatesPerToken,
    sameActiveSets: sameRows(a!, b!),
    checksum: checksum(a!),
  };
  statusEl.textContent = `Ready: ${candidatesPerToken.toFixed(0)} candidates per token.`;
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__screenReady = { error: message };
});
