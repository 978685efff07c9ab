/**
 * Certified screening for encoders that keep few latents per token (TopK, AbsTopK, and the
 * threshold encoders: JumpReLU, BatchTopK at inference, ReLU). An int8 matmul gives every
 * pre-activation up to a proven error bound; only latents whose bound can still reach the cut are
 * re-scored exactly, and the exact scores decide. The answer is the dense encoder's (same active
 * set, values from the same float32 inputs), with most of the exact multiplies skipped.
 *
 * The bound (docs/ARCHITECTURE.md, "Screened encoders", has the proof): with x̃ = s·q the int8
 * image of a token's input (per-token scale s) and w̃_j = σ_j·q_j of latent j's encoder column
 * (per-latent scale σ_j),
 *
 *   |x·w_j − x̃·w̃_j| ≤ ‖x − x̃‖·‖w_j‖ + ‖x̃‖·‖w_j − w̃_j‖         (Cauchy–Schwarz, twice)
 *
 * x̃·w̃_j = s·σ_j·(q·q_j) is exact from the int32 product. The encoders subtract b_dec in float32
 * first (x ⊖ b_dec = x − b_dec + δ, ‖δ‖ ≤ 2⁻²⁴‖x − b_dec‖), so the bound grows by ‖δ‖·‖w_j‖; and
 * it grows by γ_d·‖x ⊖ b_dec‖·‖w_j‖ (γ_d = d·2⁻²⁴/(1 − d·2⁻²⁴)), the most by which any float32
 * dot product of length d, the dense encoder's or ours, can miss the real one. So the bound holds
 * for the dense encoder's computed scores, not only for the real numbers, and every latent the
 * dense encoder could pick is among the candidates. A relative margin of 1e-6 covers the rounding
 * of the bound's own float64 arithmetic and of adding b_enc.
 *
 * The loops over latents run in a small WebAssembly SIMD kernel (kernels/screen.c).
 */
import type { Sae } from '../types';
import type { SparseRows } from './sparseRows';
import { screenWasm } from './kernels/screenWasm';

/** Architectures whose active set a bound on every pre-activation decides. */
export type ScreenedArchitecture = 'topk' | 'abstopk' | 'jumprelu' | 'batchtopk' | 'standard';

function isScreenableArchitecture(sae: Sae): sae is Sae & { architecture: ScreenedArchitecture } {
  switch (sae.architecture) {
    case 'topk':
    case 'abstopk':
      return sae.k !== undefined && sae.k > 0;
    case 'jumprelu':
    case 'batchtopk':
      return sae.weights.threshold !== undefined;
    case 'standard':
      return true;
    default:
      return false;
  }
}

/** Whether the SAE can be screened: its architecture, and a width the kernel's four-lane loops take. */
export function isScreenable(sae: Sae): sae is Sae & { architecture: ScreenedArchitecture } {
  return sae.dSae % 4 === 0 && isScreenableArchitecture(sae);
}

/**
 * Whether screening beats the dense encoder for this SAE, as measured in Chromium on two threads
 * (docs/BENCHMARKS.md): at the bundle's 256 × 2,048 it does not (1.25× against 1.27× PyTorch's
 * time for the model and all SAEs, dense against screening the threshold SAEs), since onnxruntime's
 * dense matmul runs on every thread and the re-scoring on one; at GPT-2 small's 768 × 24,576 it
 * does (0.9× against 1.06×), the dense matmul being most of the time and the candidates under 1 %.
 */
export function screeningPays(sae: Sae): boolean {
  return sae.dIn * sae.dSae >= SCREEN_FROM;
}

/** d_in·d_sae from which encoders are screened (GPT-2 small's 768 × 24,576 is 18.9 M; our bundle's 0.5 M) */
const SCREEN_FROM = 4 * 2 ** 20;

/** One SAE's encoder, prepared for screening: int8 columns for the approximate scores, the rest in the kernel's memory. */
export interface ScreenedEncoder {
  dIn: number;
  dSae: number;
  /** int8 encoder columns, [dIn, dSae] row-major (MatMulInteger's B) */
  q: Int8Array;
  /** encodes rows whose int8 products are known (see ScreenKernel.encode) */
  kernel: ScreenKernel;
}

/** Latent statistics, rows of ScreenKernel's float32 [6, d_sae] table (the order screen.c reads them in). */
const SCALE = 0;
const NORM = 1;
const QERR = 2;
const OFFSET = 3;
const ABS_OFFSET = 4;
const CUT = 5;

/** Quantizes an SAE's encoder columns to int8, one scale per latent, and loads the kernel. */
export function prepareEncoder(sae: Sae & { architecture: ScreenedArchitecture }): ScreenedEncoder {
  const { dIn, dSae, weights: w } = sae;
  const dPad = padded(dIn);
  const q = new Int8Array(dIn * dSae);
  const latent = new Float32Array(6 * dSae);
  const rows = new Float32Array(dSae * dPad);
  const bDec = sae.applyBDecToInput ? w.b_dec : new Float32Array(dIn);
  // BatchTopK's threshold can be one number for every latent; ReLU's cut is 0
  const theta = sae.architecture === 'jumprelu' || sae.architecture === 'batchtopk' ? w.threshold : undefined;
  for (let j = 0; j < dSae; j++) {
    let max = 0;
    for (let i = 0; i < dIn; i++) {
      const v = w.W_enc[i * dSae + j]!;
      rows[j * dPad + i] = v;
      max = Math.max(max, Math.abs(v));
    }
    const s = int8Scale(max);
    let n2 = 0;
    let e2 = 0;
    let dot = 0;
    for (let i = 0; i < dIn; i++) {
      const v = rows[j * dPad + i]!;
      const qi = toInt8(v, s);
      q[i * dSae + j] = qi;
      n2 += v * v;
      e2 += (v - s * qi) ** 2;
      dot += bDec[i]! * v;
    }
    latent[SCALE * dSae + j] = s;
    latent[NORM * dSae + j] = Math.sqrt(n2);
    latent[QERR * dSae + j] = Math.sqrt(e2);
    latent[OFFSET * dSae + j] = w.b_enc[j]! - dot;
    latent[ABS_OFFSET * dSae + j] = Math.abs(latent[OFFSET * dSae + j]!);
    latent[CUT * dSae + j] = Math.max(theta ? theta[theta.length === 1 ? 0 : j]! : 0, 0);
  }
  const mode = sae.architecture === 'topk' ? MODE.topk : sae.architecture === 'abstopk' ? MODE.abstopk : MODE.threshold;
  return { dIn, dSae, q, kernel: new ScreenKernel(mode, sae.k ?? 0, dIn, dSae, rows, latent, w.b_enc, bDec) };
}

/** The scale of a symmetric int8 code for values up to `max`, in float32 as the kernel reads it (so x̃ = s·q exactly as used). */
function int8Scale(max: number): number {
  return Math.fround(max / 127);
}

/** v's int8 code at scale s. max/127 can round so that v/s exceeds 127 by an ulp: clamped, the error terms still cover it. */
function toInt8(v: number, s: number): number {
  return s > 0 ? Math.max(-127, Math.min(127, Math.round(v / s))) : 0;
}

/** A hook's activations, quantized per token for MatMulInteger (uint8 with zero point 128). */
export interface QuantizedRows {
  nTokens: number;
  dIn: number;
  /** [nTokens, dIn], q − 128 ∈ [−127, 127] */
  q: Uint8Array;
  /** per token: s, ‖x − x̃‖, ‖x̃‖, ‖x‖ */
  scale: Float64Array;
  error: Float64Array;
  norm: Float64Array;
  inputNorm: Float64Array;
}

export const ZERO_POINT = 128;

export function quantizeRows(x: Float32Array, nTokens: number, dIn: number): QuantizedRows {
  const q = new Uint8Array(nTokens * dIn);
  const scale = new Float64Array(nTokens);
  const error = new Float64Array(nTokens);
  const norm = new Float64Array(nTokens);
  const inputNorm = new Float64Array(nTokens);
  for (let t = 0; t < nTokens; t++) {
    const base = t * dIn;
    let max = 0;
    for (let i = 0; i < dIn; i++) max = Math.max(max, Math.abs(x[base + i]!));
    const s = int8Scale(max);
    let e2 = 0;
    let n2 = 0;
    let x2 = 0;
    for (let i = 0; i < dIn; i++) {
      const v = x[base + i]!;
      const qi = toInt8(v, s);
      q[base + i] = qi + ZERO_POINT;
      const approx = s * qi;
      e2 += (v - approx) ** 2;
      n2 += approx * approx;
      x2 += v * v;
    }
    scale[t] = s;
    error[t] = Math.sqrt(e2);
    norm[t] = Math.sqrt(n2);
    inputNorm[t] = Math.sqrt(x2);
  }
  return { nTokens, dIn, q, scale, error, norm, inputNorm };
}

const F32_UNIT = 2 ** -24;
const MODE = { topk: 0, abstopk: 1, threshold: 2 } as const;
const PAGE = 65536;

let kernelModule: WebAssembly.Module | undefined;

function padded(dIn: number): number {
  return Math.ceil(dIn / 4) * 4;
}

/**
 * One SAE's screening kernel: its own WebAssembly memory holding the SAE's float32 rows and latent
 * statistics, and room for one call's inputs, scratch and outputs (grown as calls need).
 */
export class ScreenKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly run: (...args: number[]) => number;
  private readonly dPad: number;
  private readonly fixed: { rows: number; latent: number; bEnc: number; end: number };
  private readonly bDecNorm: number;
  /** rows left for the outputs, per token, before a call must grow them */
  private outputPerToken: number;

  constructor(
    private readonly mode: number,
    private readonly k: number,
    private readonly dIn: number,
    private readonly dSae: number,
    rows: Float32Array,
    latent: Float32Array,
    bEnc: Float32Array,
    /** subtracted from the input before encoding (zeros when the SAE does not) */
    private readonly bDec: Float32Array,
  ) {
    this.bDecNorm = Math.sqrt(bDec.reduce((sum, v) => sum + v * v, 0));
    kernelModule ??= new WebAssembly.Module(Uint8Array.from(atob(screenWasm), (c) => c.charCodeAt(0)));
    this.dPad = padded(dIn);
    // the module asks for two pages: its stack lies below __heap_base
    this.memory = new WebAssembly.Memory({ initial: 2 });
    const instance = new WebAssembly.Instance(kernelModule, { env: { memory: this.memory } });
    this.run = instance.exports.screen_rows as (...args: number[]) => number;
    const heapBase = (instance.exports.__heap_base as WebAssembly.Global).value as number;
    const at = align(heapBase);
    const fixed = { rows: at, latent: align(at + rows.byteLength), bEnc: 0, end: 0 };
    fixed.bEnc = align(fixed.latent + latent.byteLength);
    fixed.end = align(fixed.bEnc + bEnc.byteLength);
    this.fixed = fixed;
    this.reserve(fixed.end);
    new Float32Array(this.memory.buffer, fixed.rows, rows.length).set(rows);
    new Float32Array(this.memory.buffer, fixed.latent, latent.length).set(latent);
    new Float32Array(this.memory.buffer, fixed.bEnc, bEnc.length).set(bEnc);
    this.outputPerToken = mode === MODE.threshold ? 64 : Math.min(k, dSae);
  }

  /**
   * Compressed rows of the SAE's activations on `x` ([nTokens, dIn], the hook's input) from the
   * int8 products of `rows` (x quantized) with its columns: `products` [nTokens, width], this SAE's
   * at `column`. `stats.candidates` adds the latents scored exactly.
   */
  encode(x: Float32Array, rows: QuantizedRows, products: Int32Array, width: number, column: number, stats?: ScreenStats): SparseRows {
    const { nTokens } = rows;
    const { dIn, dPad, dSae, bDec, bDecNorm } = this;
    const gamma = (dIn * F32_UNIT) / (1 - dIn * F32_UNIT);
    const input = new Float32Array(nTokens * dPad);
    const token = new Float32Array(nTokens * 3);
    for (let t = 0; t < nTokens; t++) {
      let in2 = 0;
      for (let i = 0; i < dIn; i++) {
        const v = Math.fround(x[t * dIn + i]! - bDec[i]!);
        input[t * dPad + i] = v;
        in2 += v * v;
      }
      token[3 * t] = rows.scale[t]!;
      token[3 * t + 1] = rows.error[t]! + F32_UNIT * (rows.inputNorm[t]! + bDecNorm) + gamma * Math.sqrt(in2);
      token[3 * t + 2] = rows.norm[t]!;
    }
    for (;;) {
      const cap = nTokens * this.outputPerToken;
      const heap = Math.max(this.k, 1);
      const layout = this.layout([input.byteLength, token.byteLength, 4 * nTokens * dSae, 4 * dSae, 4 * dSae, 4 * heap, 4 * heap, 4 * dSae, 4 * dSae, 4 * (nTokens + 1), 4 * cap, 4 * cap]);
      const [pInput, pToken, pProducts, pKey, pSlack, pHeapKey, pHeapId, pCand, pCandValue, pRowStart, pFeature, pValue] = layout;
      const buffer = this.memory.buffer;
      new Float32Array(buffer, pInput, input.length).set(input);
      new Float32Array(buffer, pToken, token.length).set(token);
      // only this SAE's columns, when several SAEs' products sit side by side
      const mine = new Int32Array(buffer, pProducts, nTokens * dSae);
      if (width === dSae) mine.set(products);
      else for (let t = 0; t < nTokens; t++) mine.set(products.subarray(t * width + column, t * width + column + dSae), t * dSae);
      const scored = this.run(
        this.mode, dPad, dSae, this.k,
        this.fixed.rows, this.fixed.latent, this.fixed.bEnc,
        nTokens, pInput, pToken,
        pProducts, dSae, 0,
        pKey, pSlack, pHeapKey, pHeapId, pCand, pCandValue,
        pRowStart, pFeature, pValue, cap,
      );
      if (scored < 0) {
        this.outputPerToken = Math.min(2 * this.outputPerToken, dSae);
        continue;
      }
      if (stats) stats.candidates += scored;
      const rowStart = new Uint32Array(buffer, pRowStart, nTokens + 1).slice();
      const nnz = rowStart[nTokens]!;
      return {
        nRows: nTokens,
        rowStart,
        features: new Uint32Array(buffer, pFeature, nnz).slice(),
        values: new Float32Array(buffer, pValue, nnz).slice(),
      };
    }
  }

  /** Offsets for consecutive arrays of these byte sizes above the fixed data, growing the memory to hold them. */
  private layout(sizes: number[]): number[] {
    let at = this.fixed.end;
    const offsets = sizes.map((size) => {
      const here = at;
      at = align(at + size);
      return here;
    });
    this.reserve(at);
    return offsets;
  }

  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}

function align(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}

export interface ScreenStats {
  /** latents scored exactly, summed over tokens */
  candidates: number;
}
