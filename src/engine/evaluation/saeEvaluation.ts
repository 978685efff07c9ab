/**
 * The figures an SAE is judged by (SAEBench's core metrics), kept per held-out sequence so that
 * each one can be given per source and with a bootstrap interval over sequences:
 * L0, fraction of variance unexplained, dead and dense latents, and the model's cross-entropy
 * clean, with the SAE spliced in and with the hook zero-ablated (CE loss recovered).
 */
import { seededRandom } from '../analysis/random';

/** Per-sequence sums for one hook's activations (BOS excluded), shared by the SAEs reading it. */
export class HookMoments {
  /** Σ_t x_t per sequence: [nSeqs, d] */
  readonly sum: Float64Array;
  /** Σ_t ‖x_t‖² per sequence */
  readonly sumSq: Float64Array;
  readonly tokens: Float64Array;

  constructor(
    readonly nSeqs: number,
    readonly d: number,
  ) {
    this.sum = new Float64Array(nSeqs * d);
    this.sumSq = new Float64Array(nSeqs);
    this.tokens = new Float64Array(nSeqs);
  }

  /** `acts`: [T, d] of sequence `seq`, position 0 (BOS) skipped. */
  add(seq: number, acts: Float32Array, T: number): void {
    const { d } = this;
    const base = seq * d;
    for (let t = 1; t < T; t++) {
      const row = t * d;
      let sq = 0;
      for (let i = 0; i < d; i++) {
        const v = acts[row + i]!;
        this.sum[base + i]! += v;
        sq += v * v;
      }
      this.sumSq[seq]! += sq;
      this.tokens[seq]! += 1;
    }
  }

  /** Adds another pass's sums (over other sequences; a structured clone will do). */
  addFrom(o: Pick<HookMoments, 'sum' | 'sumSq' | 'tokens'>): void {
    addInto(this.sum, o.sum);
    addInto(this.sumSq, o.sumSq);
    addInto(this.tokens, o.tokens);
  }

  /** The mean activation over `seqs`. */
  mean(seqs: readonly number[]): Float64Array {
    const mu = new Float64Array(this.d);
    let n = 0;
    for (const s of seqs) {
      for (let i = 0; i < this.d; i++) mu[i]! += this.sum[s * this.d + i]!;
      n += this.tokens[s]!;
    }
    for (let i = 0; i < this.d; i++) mu[i]! /= Math.max(n, 1);
    return mu;
  }

  /** Σ_t ‖x_t − μ‖² of sequence `s`: Σ‖x‖² − 2μ·Σx + n‖μ‖². */
  variance(s: number, mu: Float64Array): number {
    let dot = 0;
    let muSq = 0;
    for (let i = 0; i < this.d; i++) {
      dot += mu[i]! * this.sum[s * this.d + i]!;
      muSq += mu[i]! * mu[i]!;
    }
    return this.sumSq[s]! - 2 * dot + this.tokens[s]! * muSq;
  }
}

/** Per-sequence sums of next-token cross-entropy (nats) and the number of predictions. */
export class CrossEntropy {
  readonly nats: Float64Array;
  readonly targets: Float64Array;

  constructor(nSeqs: number) {
    this.nats = new Float64Array(nSeqs);
    this.targets = new Float64Array(nSeqs);
  }

  /** `logits` [T, V] of sequence `seq` with token ids `ids`: every position predicts the next. */
  add(seq: number, logits: Float32Array, ids: readonly number[], V: number): void {
    for (let t = 0; t + 1 < ids.length; t++) {
      const row = t * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits[row + v]!);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(logits[row + v]! - max);
      this.nats[seq]! += max + Math.log(sum) - logits[row + ids[t + 1]!]!;
      this.targets[seq]! += 1;
    }
  }

  mean(seqs: readonly number[]): number {
    return sumOver(this.nats, seqs) / Math.max(sumOver(this.targets, seqs), 1);
  }

  addFrom(o: Pick<CrossEntropy, 'nats' | 'targets'>): void {
    addInto(this.nats, o.nats);
    addInto(this.targets, o.targets);
  }
}

/** One SAE's per-sequence sums: active latents, squared error, latent firings per source. */
export class SaeTally {
  readonly l0: Float64Array;
  readonly sqErr: Float64Array;
  readonly ceSpliced: CrossEntropy;
  /** source → firings per latent, over that source's tokens */
  readonly firings: Float64Array[];

  constructor(
    readonly nSeqs: number,
    readonly dSae: number,
    nSources: number,
  ) {
    this.l0 = new Float64Array(nSeqs);
    this.sqErr = new Float64Array(nSeqs);
    this.ceSpliced = new CrossEntropy(nSeqs);
    this.firings = Array.from({ length: nSources }, () => new Float64Array(dSae));
  }

  addFrom(o: Pick<SaeTally, 'l0' | 'sqErr' | 'ceSpliced' | 'firings'>): void {
    addInto(this.l0, o.l0);
    addInto(this.sqErr, o.sqErr);
    this.ceSpliced.addFrom(o.ceSpliced);
    this.firings.forEach((f, i) => addInto(f, o.firings[i]!));
  }

  /** Every buffer, for handing the tally to another thread without copying. */
  buffers(): ArrayBuffer[] {
    return [this.l0, this.sqErr, this.ceSpliced.nats, this.ceSpliced.targets, ...this.firings].map((a) => a.buffer as ArrayBuffer);
  }

  /**
   * Sequence `seq` of source `source`: feature activations [T, d_sae], activations and their
   * reconstruction [T, d_in]; position 0 (BOS) skipped.
   */
  add(seq: number, source: number, featureActs: Float32Array, acts: Float32Array, recon: Float32Array, T: number, dIn: number): void {
    const fired = this.firings[source]!;
    for (let t = 1; t < T; t++) {
      const row = t * this.dSae;
      let active = 0;
      for (let f = 0; f < this.dSae; f++) {
        if (featureActs[row + f] !== 0) {
          active++;
          fired[f]! += 1;
        }
      }
      this.l0[seq]! += active;
      let err = 0;
      for (let i = t * dIn; i < (t + 1) * dIn; i++) err += (recon[i]! - acts[i]!) ** 2;
      this.sqErr[seq]! += err;
    }
  }
}

export interface Interval {
  value: number;
  /** 95 % bootstrap interval over sequences (percentile method) */
  lo: number;
  hi: number;
}

export interface SaeFigures {
  tokens: number;
  l0: Interval;
  fvu: Interval;
  deadPct: number;
  densePct: number;
  ceClean: Interval;
  ceSpliced: Interval;
  ceZeroAblation: Interval;
  ceRecoveredPct: Interval;
}

/** A latent that fires on more than this fraction of tokens counts as dense. */
export const DENSE_FRACTION = 0.1;

/** The SAE's figures over `seqs` (of `sources`, indices into its firing tallies), with intervals. */
export function saeFigures(
  tally: SaeTally,
  moments: HookMoments,
  clean: CrossEntropy,
  zero: CrossEntropy,
  seqs: readonly number[],
  sources: readonly number[],
  resamples: number,
  seed: number,
): SaeFigures {
  const mu = moments.mean(seqs);
  const variance = new Float64Array(moments.nSeqs);
  for (const s of seqs) variance[s] = moments.variance(s, mu);
  const tokens = sumOver(moments.tokens, seqs);
  const firings = new Float64Array(tally.dSae);
  for (const src of sources) tally.firings[src]!.forEach((n, f) => (firings[f]! += n));
  let dead = 0;
  let dense = 0;
  for (const n of firings) {
    if (n === 0) dead++;
    if (n > DENSE_FRACTION * tokens) dense++;
  }
  const stat = (f: (set: readonly number[]) => number) => bootstrap(seqs, f, resamples, seed);
  const recovered = (set: readonly number[]) => {
    const c = clean.mean(set);
    const z = zero.mean(set);
    return (100 * (z - tally.ceSpliced.mean(set))) / (z - c);
  };
  return {
    tokens,
    l0: stat((set) => sumOver(tally.l0, set) / Math.max(sumOver(moments.tokens, set), 1)),
    fvu: stat((set) => sumOver(tally.sqErr, set) / sumOver(variance, set)),
    deadPct: (100 * dead) / tally.dSae,
    densePct: (100 * dense) / tally.dSae,
    ceClean: stat((set) => clean.mean(set)),
    ceSpliced: stat((set) => tally.ceSpliced.mean(set)),
    ceZeroAblation: stat((set) => zero.mean(set)),
    ceRecoveredPct: stat(recovered),
  };
}

/** The statistic on `seqs`, and its 95 % percentile interval over `resamples` resamplings of them. */
export function bootstrap(seqs: readonly number[], statistic: (set: readonly number[]) => number, resamples: number, seed: number): Interval {
  const value = statistic(seqs);
  if (seqs.length < 2 || resamples < 1) return { value, lo: value, hi: value };
  const rand = seededRandom(seed);
  const draws: number[] = [];
  const set = new Array<number>(seqs.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < seqs.length; i++) set[i] = seqs[Math.floor(rand() * seqs.length)]!;
    draws.push(statistic(set));
  }
  draws.sort((a, b) => a - b);
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))]!;
  return { value, lo: at(0.025), hi: at(0.975) };
}

function addInto(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

function sumOver(values: Float64Array, seqs: readonly number[]): number {
  let s = 0;
  for (const i of seqs) s += values[i]!;
  return s;
}
