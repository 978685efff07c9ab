/**
 * The benchmark's SAE and inputs, from integer hashes that numpy reproduces bit for bit
 * (bench/torch_screening.py), so that both sides encode the very same numbers without shipping
 * 75 MB of weights: W_enc[i, j] uniform in ±√3·norm_j/√d_in (column j's norm is norm_j on average),
 * b_enc_j from the trained SAE's biases, inputs a sum of three uniforms (near-Gaussian, unit variance).
 */
export const WORKLOAD = { dIn: 768, dSae: 24576, k: 32 } as const;

/** murmur3's 32-bit finalizer of n + seed·2^24: a well-mixed uint32 per index. */
export function hash(n: number, seed: number): number {
  let h = (n + Math.imul(seed, 0x1000000)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in (−1, 1). */
const uniform = (n: number, seed: number) => ((hash(n, seed) + 0.5) / 2 ** 32) * 2 - 1;

export function workloadWeights(norms: ArrayLike<number>, biases: ArrayLike<number>): { wEnc: Float32Array; bEnc: Float32Array } {
  const { dIn, dSae } = WORKLOAD;
  const wEnc = new Float32Array(dIn * dSae);
  const scale = Array.from({ length: dSae }, (_, j) => (Math.sqrt(3) * norms[j % norms.length]!) / Math.sqrt(dIn));
  for (let i = 0; i < dIn; i++) for (let j = 0; j < dSae; j++) wEnc[i * dSae + j] = uniform(i * dSae + j, 1) * scale[j]!;
  const bEnc = Float32Array.from({ length: dSae }, (_, j) => biases[j % biases.length]!);
  return { wEnc, bEnc };
}

export function workloadInputs(tokens: number): Float32Array {
  const { dIn } = WORKLOAD;
  return Float32Array.from({ length: tokens * dIn }, (_, n) => uniform(n, 2) + uniform(n, 3) + uniform(n, 4));
}
