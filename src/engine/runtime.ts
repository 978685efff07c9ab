/**
 * The one module that knows onnxruntime-web: which execution provider runs, how many wasm threads,
 * how sessions are created, and how tensors cross the boundary. Everything else in the engine speaks
 * `Tensor` from types.ts and `Session` from here.
 *
 * ORT is imported dynamically so that bundlers keep it in chunks of its own (when Vite merges it into
 * the app chunk, ORT's thread workers re-run app code and die). There are two builds: WebGPU needs
 * `onnxruntime-web/webgpu` (asyncify, 27 MB of wasm), while the wasm backend loads the plain build
 * (14 MB), whose CPU kernels also run without asyncify's overhead. Only the chosen one is fetched.
 */
import type * as OrtModule from 'onnxruntime-web';
import { downloadBytes } from './bundle/download';
import { EngineError, errorMessage, type BackendInfo, type BackendName, type LoadProgress, type Tensor } from './types';
import { SMOKE_MODEL_BASE64, smokeExpected, smokeInput } from './runtimeSmoke';

type Ort = typeof OrtModule;

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph; `fetches` limits which outputs are computed and copied back (all when omitted). */
  run(feeds: Record<string, Tensor>, fetches?: readonly string[]): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

/**
 * Where each build's wasm binary is served (a browser build knows its hashed URL; Node reads ORT's
 * own), and who hears it download. Given a URL, the engine downloads the binary itself, with progress
 * and a Cache API copy like the bundle's files, and hands ORT the bytes: ORT's own fetch reports
 * nothing, so a cold load used to sit on full bars while 14 MB arrived.
 */
export interface RuntimeBinaries {
  urls: Partial<Record<BackendName, string>>;
  onProgress?: (p: LoadProgress) => void;
}

/** More threads than this stop paying off for models of the size we run. */
const MAX_WASM_THREADS = 4;

const ortBuilds: Partial<Record<BackendName, Promise<Ort>>> = {};
/** the `threads` of the last initRuntime(), for builds loaded later */
let maxThreads: number | undefined;
/** the `binaries` of the last initRuntime(), for builds loaded later */
let binaries: RuntimeBinaries | undefined;
let current: BackendInfo | null = null;
let initPromise: Promise<BackendInfo> | null = null;
let initPrefer: 'auto' | BackendName | null = null;

function loadOrt(backend: BackendName): Promise<Ort> {
  const build = (ortBuilds[backend] ??= (backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm'))
    .then(
      (ort) => {
        // Read once by ORT before the first session: it must be set before anything else touches ORT.
        ort.env.wasm.numThreads = wasmThreads(maxThreads);
        return ort;
      },
      (err: unknown) => {
        const chunk = /[^/\s]+\.m?js\b/.exec(errorMessage(err))?.[0] ?? `onnxruntime-web${backend === 'webgpu' ? '/webgpu' : ''}`;
        throw new EngineError(`onnxruntime-web could not be loaded (${errorMessage(err)}). Check the connection, then load again.`, chunk, 'network');
      },
    )
    .then(async (ort) => {
      const url = binaries?.urls[backend];
      if (url) ort.env.wasm.wasmBinary = await downloadBytes(url, { file: WASM_BINARY[backend], onProgress: binaries?.onProgress });
      return ort;
    })
    .catch((err: unknown) => {
      // Not kept: a later call tries again (in a browser, only a fresh worker can: it keeps a failed import failed).
      delete ortBuilds[backend];
      throw err;
    }));
  return build;
}

/** The wasm binary of each build (Vite adds a hash to the name it serves). */
const WASM_BINARY: Record<BackendName, string> = {
  wasm: 'ort-wasm-simd-threaded.wasm',
  webgpu: 'ort-wasm-simd-threaded.asyncify.wasm',
};

/**
 * ORT fetches and compiles its wasm binary on the first session; doing it here, on the smoke graph,
 * makes a binary that failed to download an error that names it, not one about the model.
 */
async function startWasm(ort: Ort, backend: BackendName): Promise<void> {
  try {
    await smokeTest(ort, 'wasm');
  } catch (err) {
    throw new EngineError(
      `onnxruntime-web could not start its wasm backend (${errorMessage(err)}). Its binary may have failed to download: ` +
        'check the connection, then load again.',
      WASM_BINARY[backend],
      'network',
    );
  }
}

function wasmThreads(requested?: number): number {
  // Without cross-origin isolation there is no SharedArrayBuffer, and ORT would warn and use one.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) return 1;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(requested ?? Infinity, cores || 1, MAX_WASM_THREADS));
}

/** The slice of the WebGPU API we touch; declared here so the engine needs no @webgpu/types. */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

type Probe = { ok: true; detail: string } | { ok: false; reason: string };

/**
 * `allowSoftware`: whether a software adapter (SwiftShader, `isFallbackAdapter`) counts. It runs the
 * models correctly but far slower than wasm, so 'auto' declines it and only an explicit 'webgpu' uses it.
 */
async function probeWebGpu(allowSoftware: boolean): Promise<Probe> {
  const gpu =
    typeof navigator !== 'undefined' ? (navigator as { gpu?: GpuLike }).gpu : undefined;
  if (!gpu) return { ok: false, reason: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { ok: false, reason: `navigator.gpu.requestAdapter() failed: ${errorMessage(err)}` };
  }
  if (!adapter) {
    return { ok: false, reason: 'navigator.gpu.requestAdapter() found no GPU adapter' };
  }
  if (!allowSoftware && isSoftwareAdapter(adapter)) {
    return {
      ok: false,
      reason: `the only WebGPU adapter is a software one (${describeAdapter(adapter)}), slower than wasm`,
    };
  }
  // An adapter can exist and still fail to compile or run ORT's shaders: prove it on a tiny graph.
  try {
    await smokeTest(await loadOrt('webgpu'), 'webgpu');
  } catch (err) {
    return { ok: false, reason: `a WebGPU test run failed: ${errorMessage(err)}` };
  }
  return { ok: true, detail: describeAdapter(adapter) };
}

function adapterName(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description || info.device]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join(' ');
  return name || 'unnamed adapter';
}

function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  const flagged = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  return flagged || /swiftshader/i.test(adapterName(adapter));
}

function describeAdapter(adapter: GpuAdapterLike): string {
  const name = adapterName(adapter);
  return isSoftwareAdapter(adapter) ? `${name} (software fallback adapter: slow)` : name;
}

/** Runs the smoke graph (MatMul + Relu) and checks its numbers, not just that it returned. */
async function smokeTest(ort: Ort, ep: BackendName): Promise<void> {
  const bytes = base64ToBytes(SMOKE_MODEL_BASE64);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
  try {
    const x = smokeInput();
    const out = await session.run({ x: new ort.Tensor('float32', x, [1, x.length]) });
    const y = out.y?.data;
    const want = smokeExpected(x);
    if (!(y instanceof Float32Array) || y.length !== want.length) {
      throw new Error('the test graph returned no float32 output of the expected size');
    }
    for (let i = 0; i < want.length; i++) {
      if (Math.abs(y[i]! - want[i]!) > 1e-4) {
        throw new Error(`the test graph computed ${y[i]} where ${want[i]} was expected`);
      }
    }
  } finally {
    await session.release();
  }
}

/**
 * Chooses the execution provider. 'auto' tries WebGPU on a hardware adapter (adapter + smoke run)
 * and falls back to wasm, recording why; 'webgpu' takes any adapter, software included, and fails
 * loudly when WebGPU cannot run; 'wasm' skips the probe.
 * Calling it again with the same preference returns the first answer. `threads` caps the wasm
 * threads (default: the cores, up to MAX_WASM_THREADS); it counts only before ORT first loads, as do
 * `wasm`'s URLs.
 */
export async function initRuntime(prefer: 'auto' | BackendName = 'auto', threads?: number, wasm?: RuntimeBinaries): Promise<BackendInfo> {
  if (initPromise && initPrefer === prefer) return initPromise;
  initPrefer = prefer;
  maxThreads = threads;
  binaries = wasm;
  initPromise = chooseBackend(prefer).then(
    (info) => {
      current = info;
      return info;
    },
    (err: unknown) => {
      initPromise = null;
      initPrefer = null;
      throw err;
    },
  );
  return initPromise;
}

async function chooseBackend(prefer: 'auto' | BackendName): Promise<BackendInfo> {
  const threadsOf = async (backend: BackendName) => (await loadOrt(backend)).env.wasm.numThreads ?? 1;
  const wasmBackend = async (extra: Partial<BackendInfo> = {}): Promise<BackendInfo> => {
    const ort = await loadOrt('wasm');
    await startWasm(ort, 'wasm');
    return { name: 'wasm', threads: ort.env.wasm.numThreads ?? 1, ...extra };
  };
  if (prefer === 'wasm') return wasmBackend();
  const probe = await probeWebGpu(prefer === 'webgpu');
  if (probe.ok) return { name: 'webgpu', threads: await threadsOf('webgpu'), detail: probe.detail };
  if (prefer === 'webgpu') {
    throw new EngineError(
      `WebGPU was requested but cannot be used: ${probe.reason}. Choose the wasm backend instead ` +
        '(or, in Chromium, enable WebGPU: chrome://flags/#enable-unsafe-webgpu).',
      'WebGPU',
    );
  }
  return wasmBackend({ fallbackReason: probe.reason });
}

/** The backend chosen by the last successful initRuntime(). */
export function currentBackend(): BackendInfo {
  if (!current) {
    throw new EngineError('The ONNX runtime is not initialised yet: await initRuntime() first.');
  }
  return current;
}

/** Creates a session for an ONNX model (bytes) on the current backend, initialising it if needed. */
export async function createSession(model: Uint8Array): Promise<Session> {
  const backend = current ?? (await initRuntime());
  const ort = await loadOrt(backend.name);
  let session: OrtModule.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: [backend.name],
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new EngineError(
      `onnxruntime-web (${backend.name}) could not load this ONNX model: ${errorMessage(err)}`,
    );
  }
  return wrapSession(ort, session);
}

function wrapSession(ort: Ort, session: OrtModule.InferenceSession): Session {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds, fetches) {
      const ortFeeds: Record<string, OrtModule.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      }
      let out: OrtModule.InferenceSession.ReturnType;
      try {
        out = fetches ? await session.run(ortFeeds, [...fetches]) : await session.run(ortFeeds);
      } catch (err) {
        throw new EngineError(`The ONNX model failed to run: ${errorMessage(err)}`);
      }
      const result: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(out)) {
        result[name] = fromOrt(name, value);
      }
      return result;
    },
    release: () => session.release(),
  };
}

function fromOrt(name: string, t: OrtModule.Tensor): Tensor {
  const dims = [...t.dims];
  // Tensors come back on the CPU (we never ask for GPU-located outputs), so .data is available.
  const data = t.data;
  if (t.type === 'float32' && data instanceof Float32Array) return { type: 'float32', data, dims };
  if (t.type === 'int64' && data instanceof BigInt64Array) return { type: 'int64', data, dims };
  if (t.type === 'int32' && data instanceof Int32Array) return { type: 'int32', data, dims };
  throw new EngineError(
    `The ONNX model's output "${name}" has type ${t.type}; the engine handles float32, int64 and int32 outputs only.`,
  );
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
