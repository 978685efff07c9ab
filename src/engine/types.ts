/**
 * Shapes shared across the engine. Every numeric array is row-major; its shape is in its name or
 * its doc comment.
 */

/** A dense tensor as the engine passes it around (never an onnxruntime type outside runtime.ts). */
export interface Tensor {
  type: 'float32' | 'int64' | 'int32' | 'uint8';
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
  dims: number[];
}

export type BackendName = 'webgpu' | 'wasm';

/** Which execution provider the runtime chose, and why; shown to the reader. */
export interface BackendInfo {
  name: BackendName;
  /** wasm threads in use (1 where the page is not cross-origin isolated) */
  threads: number;
  /** e.g. the WebGPU adapter's vendor/architecture, or "SwiftShader (fallback adapter)" */
  detail?: string;
  /** why WebGPU was not used, when it was not */
  fallbackReason?: string;
}

export type SaeArchitecture =
  | 'standard'
  | 'topk'
  | 'batchtopk'
  | 'jumprelu'
  | 'gated'
  | 'abstopk'
  | 'matching_pursuit';

export type SaeFormat = 'saelens' | 'sparsify' | 'gemmascope';

/** The engine's one in-memory SAE, whatever file format it came from. Weights are fp32. */
export interface Sae {
  id: string;
  title: string;
  format: SaeFormat;
  architecture: SaeArchitecture;
  hookName: string;
  dIn: number;
  dSae: number;
  /** active latents per token for topk / abstopk / matching_pursuit (and batchtopk's training k) */
  k?: number;
  applyBDecToInput: boolean;
  weights: SaeWeights;
}

export interface SaeWeights {
  W_enc: Float32Array /* [d_in, d_sae] */;
  W_dec: Float32Array /* [d_sae, d_in] */;
  b_enc: Float32Array /* [d_sae] */;
  b_dec: Float32Array /* [d_in] */;
  /** jumprelu: [d_sae]; batchtopk: [1] */
  threshold?: Float32Array;
  /** gated */
  b_gate?: Float32Array /* [d_sae] */;
  b_mag?: Float32Array /* [d_sae] */;
  r_mag?: Float32Array /* [d_sae] */;
  /** sparsify's optional skip connection */
  W_skip?: Float32Array /* [d_in, d_in] */;
}

/** File download progress, reported as data so the UI can draw a bar per file. */
export interface LoadProgress {
  file: string;
  status: 'initiate' | 'progress' | 'done' | 'cached';
  loadedBytes: number;
  totalBytes: number | null;
}

/**
 * A step of loading that is not a download, so the load panel can say what the wait is for:
 * starting onnxruntime (compiling its wasm and proving it on a test graph), building the model's
 * session, and one warm-up run of the model. `ms`: how long it took, once done.
 */
export interface LoadStep {
  step: 'runtime' | 'session' | 'warmup';
  status: 'running' | 'done';
  ms?: number;
}

/** What a bundle load reports: each file's download, and each step between. */
export type LoadEvent = LoadProgress | LoadStep;

// The engine's modules import their error from here; it lives outside the engine so that the page
// can use it without bundling engine code.
export { EngineError, errorMessage, type ErrorCode } from '../errors/engineError';
