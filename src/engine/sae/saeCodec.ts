/**
 * One SAE's encoder and decoder on onnxruntime (WebGPU or wasm, whichever runtime.ts chose):
 * activations in, feature activations out (dense, or as compressed rows), and back to a
 * reconstruction. The decoder's session is created on first use.
 */
import type { SparseRows } from './sparseRows';
import { createSession, type Session } from '../runtime';
import { EngineError, type Sae, type Tensor } from '../types';
import { checkSize, EncoderBank } from './encoderBank';
import { ACTS, buildDecoderModel, FEATURE_ACTS, RECONSTRUCTION } from './saeGraphs';

export class SaeCodec {
  private decoder: Promise<Session> | null = null;

  private constructor(
    readonly sae: Sae,
    private readonly encoder: EncoderBank,
  ) {}

  static async create(sae: Sae): Promise<SaeCodec> {
    return new SaeCodec(sae, await EncoderBank.create([sae]));
  }

  /** acts [nTokens, d_in] → feature activations [nTokens, d_sae] */
  async encode(acts: Float32Array, nTokens: number): Promise<Float32Array> {
    return (await this.encoder.encode(this.hookActs(acts), nTokens))[0]!;
  }

  /** acts [nTokens, d_in] → feature activations as compressed rows (see EncoderBank.encodeSparse) */
  async encodeSparse(acts: Float32Array, nTokens: number): Promise<SparseRows> {
    return (await this.encoder.encodeSparse(this.hookActs(acts), nTokens))[0]!;
  }

  /**
   * feature activations [nTokens, d_sae] → reconstruction [nTokens, d_in]. An SAE with a skip
   * connection (sparsify) also needs the activations it encoded.
   */
  async decode(featureActs: Float32Array, nTokens: number, acts?: Float32Array): Promise<Float32Array> {
    this.checkSize(featureActs, nTokens, this.sae.dSae, 'feature activations');
    const feeds: Record<string, Tensor> = { [FEATURE_ACTS]: floats(featureActs, nTokens, this.sae.dSae) };
    if (this.sae.weights.W_skip) {
      if (!acts) throw new EngineError(`SAE ${this.sae.id} has a skip connection: decoding needs the activations it encoded.`);
      this.checkSize(acts, nTokens, this.sae.dIn, 'activations');
      feeds[ACTS] = floats(acts, nTokens, this.sae.dIn);
    }
    if (nTokens === 0) return new Float32Array(0);
    this.decoder ??= createSession(buildDecoderModel(this.sae));
    const out = await (await this.decoder).run(feeds, [RECONSTRUCTION]);
    return out[RECONSTRUCTION].data as Float32Array;
  }

  async release(): Promise<void> {
    await this.encoder.release();
    if (this.decoder) await (await this.decoder).release();
  }

  private hookActs(acts: Float32Array): Map<string, Float32Array> {
    return new Map([[this.sae.hookName, acts]]);
  }

  private checkSize(data: Float32Array, nTokens: number, width: number, what: string): void {
    checkSize(`SAE ${this.sae.id}`, this.sae.hookName, what, data, nTokens, width);
  }
}

function floats(data: Float32Array, rows: number, cols: number): Tensor {
  return { type: 'float32', data, dims: [rows, cols] };
}
