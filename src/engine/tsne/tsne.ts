/**
 * Barnes-Hut t-SNE (van der Maaten 2014) of a set of directions, as scikit-learn runs it: sparse
 * kNN affinities at the given perplexity, PCA initialisation, early exaggeration (12 for 250
 * iterations, momentum 0.5, then 0.8), per-coordinate gains, learning rate max(n / 12 / 4, 50),
 * θ = 0.5. Seeded, so a map is the same on every machine for the same input and settings.
 *
 * Runs in the worker and in Node alike. It yields to the event loop every few tens of
 * milliseconds, so the worker still hears a cancel (the signal is checked between iterations) and
 * the page can be sent intermediate layouts to animate.
 */
import { EngineError, throwIfCancelled } from '../../errors/engineError';
import { seededRandom } from '../analysis/random';
import { checkPerplexity, sparseAffinities, type SparseAffinities } from './affinities';
import { unitDirections, type Directions } from './directions';
import { QuadTree } from './quadTree';

export interface TsneSettings {
  /** effective number of neighbours each point calibrates its Gaussian to */
  perplexity: number;
  /** gradient steps in all, early exaggeration included */
  iterations: number;
  /** the factor on P for the first `exaggerationIterations` steps */
  earlyExaggeration: number;
  exaggerationIterations: number;
  /** Barnes-Hut opening angle: smaller is more exact and slower */
  theta: number;
  seed: number;
}

export const DEFAULT_TSNE: TsneSettings = {
  perplexity: 30,
  iterations: 1000,
  earlyExaggeration: 12,
  exaggerationIterations: 250,
  theta: 0.5,
  seed: 1,
};

/** What a run reports as it goes. */
export interface TsneProgress {
  /** 'affinities' until P is ready, then 'layout' */
  stage: 'affinities' | 'layout';
  iteration: number;
  total: number;
  /** [n, 2] the layout so far: a copy, sent every `layoutEvery` ms of work */
  xy?: Float32Array;
}

export interface TsneOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TsneProgress) => void;
  /** how often an intermediate layout is sent, in ms of work (default 100) */
  layoutEvery?: number;
  /** ms of work between two looks at the event loop (default 30) */
  sliceMs?: number;
}

export interface TsneResult {
  /** [n, 2] */
  xy: Float32Array;
  /** KL(P ‖ Q) of the final layout, Z summed over all pairs (up to 20k points; beyond, Barnes-Hut's Z) */
  kl: number;
  iterations: number;
}

const MIN_GAIN = 0.01;
const EXACT_KL_MAX_POINTS = 20_000;

/** t-SNE of `rows` ([n, d]) by their directions; `what` names them in error messages. */
export async function tsneOfDirections(rows: Float32Array, n: number, d: number, what: string, settings: Partial<TsneSettings> = {}, options: TsneOptions = {}): Promise<TsneResult> {
  const full = { ...DEFAULT_TSNE, ...settings };
  checkSettings(n, full, what);
  return tsne(unitDirections(rows, n, d, what), full, options);
}

export function checkSettings(n: number, settings: TsneSettings, what: string): void {
  checkPerplexity(n, settings.perplexity, what);
  const { iterations, exaggerationIterations, earlyExaggeration, theta } = settings;
  if (!Number.isInteger(iterations) || iterations < 1) throw new EngineError(`Iterations must be a positive whole number (got ${iterations}).`, what);
  if (!Number.isInteger(exaggerationIterations) || exaggerationIterations < 0) throw new EngineError(`Exaggeration iterations must be a whole number ≥ 0 (got ${exaggerationIterations}).`, what);
  if (!(earlyExaggeration >= 1)) throw new EngineError(`Early exaggeration must be at least 1 (got ${earlyExaggeration}).`, what);
  if (!(theta >= 0 && theta <= 1)) throw new EngineError(`θ must lie in [0, 1] (got ${theta}).`, what);
}

/** t-SNE of points already in their PCA coordinates (the first two columns seed the layout). */
export async function tsne(points: Directions, settings: TsneSettings, options: TsneOptions = {}): Promise<TsneResult> {
  const { signal, onProgress, layoutEvery = 100, sliceMs = 30 } = options;
  const { n } = points;
  const total = settings.iterations;
  onProgress?.({ stage: 'affinities', iteration: 0, total });
  // The neighbour search takes seconds at 12k points: it too gives the event loop a turn every slice.
  let pausedAt = now();
  const pause = async () => {
    if (now() - pausedAt < sliceMs) return;
    await yieldToEvents();
    if (signal) throwIfCancelled(signal, 'The map');
    pausedAt = now();
  };
  const P = await sparseAffinities(points, settings.perplexity, pause);
  await yieldToEvents();
  if (signal) throwIfCancelled(signal, 'The map');

  const y = initialLayout(points, settings.seed);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const grad = new Float64Array(2 * n);
  const tree = new QuadTree();
  const learningRate = Math.max(n / settings.earlyExaggeration / 4, 50);
  let sliceStart = now();
  let lastLayout = sliceStart;
  for (let it = 0; it < total; it++) {
    const early = it < settings.exaggerationIterations;
    const exaggeration = early ? settings.earlyExaggeration : 1;
    const momentum = early ? 0.5 : 0.8;
    gradient(P, y, n, exaggeration, settings.theta, tree, grad);
    for (let i = 0; i < 2 * n; i++) {
      const g = grad[i]!;
      const u = update[i]!;
      let gain = g * u < 0 ? gains[i]! + 0.2 : gains[i]! * 0.8;
      if (gain < MIN_GAIN) gain = MIN_GAIN;
      gains[i] = gain;
      const next = momentum * u - learningRate * gain * g;
      update[i] = next;
      y[i]! += next;
    }
    if (now() - sliceStart >= sliceMs) {
      const at = now();
      const sendLayout = at - lastLayout >= layoutEvery;
      if (sendLayout) lastLayout = at;
      onProgress?.({ stage: 'layout', iteration: it + 1, total, ...(sendLayout ? { xy: Float32Array.from(y) } : {}) });
      await yieldToEvents();
      if (signal) throwIfCancelled(signal, 'The map');
      sliceStart = now();
    }
  }
  onProgress?.({ stage: 'layout', iteration: total, total });
  return { xy: Float32Array.from(y), kl: klDivergence(P, y, n, settings.theta), iterations: total };
}

/** PCA's two leading axes scaled to std 1e-4 (as scikit-learn's init='pca'), plus seeded jitter far below that, so duplicates part. */
function initialLayout(points: Directions, seed: number): Float64Array {
  const { n, dims, coords } = points;
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    y[2 * i] = coords[i * dims]!;
    y[2 * i + 1] = dims > 1 ? coords[i * dims + 1]! : 0;
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += y[2 * i]! ** 2;
  const std = Math.sqrt(sq / n) || 1;
  const random = seededRandom(seed);
  for (let i = 0; i < 2 * n; i++) y[i] = (y[i]! / std) * 1e-4 + (random() - 0.5) * 1e-8;
  return y;
}

/** KL gradient into `grad`: 4·(exaggeration·Σ p_ij q_ij Z (y_i − y_j) − Σ q_ij² Z (y_i − y_j) / Z). */
function gradient(P: SparseAffinities, y: Float64Array, n: number, exaggeration: number, theta: number, tree: QuadTree, grad: Float64Array): void {
  tree.build(y, n);
  grad.fill(0);
  const theta2 = theta * theta;
  let z = 0;
  for (let i = 0; i < n; i++) z += tree.repulsion(y, i, theta2, grad);
  const { rowStart, cols, values } = P;
  const repulsionScale = 1 / z;
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let ax = 0;
    let ay = 0;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      const j = cols[e]!;
      const dx = xi - y[2 * j]!;
      const dy = yi - y[2 * j + 1]!;
      const w = values[e]! / (1 + dx * dx + dy * dy);
      ax += w * dx;
      ay += w * dy;
    }
    grad[2 * i] = 4 * (exaggeration * ax - grad[2 * i]! * repulsionScale);
    grad[2 * i + 1] = 4 * (exaggeration * ay - grad[2 * i + 1]! * repulsionScale);
  }
}

/** KL(P ‖ Q) = Σ p_ij log(p_ij / q_ij), q_ij = (1 + d_ij²)⁻¹ / Z. */
export function klDivergence(P: SparseAffinities, y: Float64Array, n: number, theta: number): number {
  let z = 0;
  if (n <= EXACT_KL_MAX_POINTS) {
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i]!;
      const yi = y[2 * i + 1]!;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - y[2 * j]!;
        const dy = yi - y[2 * j + 1]!;
        z += 2 / (1 + dx * dx + dy * dy);
      }
    }
  } else {
    const tree = new QuadTree();
    const scratch = new Float64Array(2 * n);
    tree.build(y, n);
    for (let i = 0; i < n; i++) z += tree.repulsion(y, i, theta * theta, scratch);
  }
  let kl = 0;
  const { rowStart, cols, values } = P;
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      const p = values[e]!;
      if (p <= 0) continue;
      const j = cols[e]!;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      kl += p * Math.log(p / (1 / (1 + dx * dx + dy * dy) / z));
    }
  }
  return kl;
}

function now(): number {
  return performance.now();
}

/** A macrotask boundary: lets the worker read its messages (a cancel) before the next slice. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
