/**
 * Runs the engine on the bundle's fixture prompts and measures how far each output is from
 * PyTorch's: logits and every hook, and the dense activations of each SAE. The same code checks
 * parity in Node (vitest) and in the browser (parity.html, on wasm and WebGPU), so the two cannot
 * drift apart in what they compare.
 */
import { fixtureTensor, type Fixtures } from '../testing/bundleFixtures';
import type { Engine } from '../../src/engine/engine';
import { maxAbsDiff } from '../testing/tensorDiff';

/** ORT vs PyTorch, both fp32 on the same fp16-rounded weights. */
const HOOK_TOLERANCE = 1e-4;
/**
 * SAE activations, computed from our own hook outputs (errors ~1e-6) through the encoder, must meet
 * the same bound; a latent that flips in or out of a top-k or threshold on a near-tie would show up
 * as a difference the size of the activation, far above it.
 */
const SAE_TOLERANCE = 1e-4;

export interface ParityRow {
  prompt: number;
  /** "logits", a hook name, or "sae.<id>" */
  name: string;
  maxAbsDiff: number;
  tolerance: number;
  /** shape as computed, and as in the fixture */
  dims: number[];
  expectedDims: number[];
  ok: boolean;
}

export interface ParityOptions {
  /** prompt indices to check (default: all) */
  prompts?: number[];
  /** SAE ids to check (default: every SAE the fixtures cover) */
  saes?: string[];
}

export async function checkFixtureParity(engine: Engine, fixtures: Fixtures, options: ParityOptions = {}): Promise<ParityRow[]> {
  const prompts = options.prompts ?? fixtures.prompts.map((_, i) => i);
  const saes = options.saes ?? fixtures.saes;
  const hooks = fixtures.hooks.filter((h) => h !== 'logits');
  const rows: ParityRow[] = [];
  for (const p of prompts) {
    const { tokens } = fixtures.prompts[p]!;
    const out = await engine.run(tokens, hooks);
    const named = [['logits', out.logits] as const, ...hooks.map((h) => [h, out.hooks[h]!] as const)];
    for (const [name, tensor] of named) {
      rows.push(compare(p, name, tensor.dims, tensor.data as Float32Array, fixtureTensor(fixtures, p, name), HOOK_TOLERANCE));
    }
    for (const id of saes) {
      const { acts, nTokens, dSae } = await engine.featureActs(tokens, id);
      rows.push(compare(p, `sae.${id}`, [nTokens, dSae], acts, fixtureTensor(fixtures, p, `sae.${id}`), SAE_TOLERANCE));
    }
  }
  return rows;
}

export function compare(
  prompt: number,
  name: string,
  dims: number[],
  data: Float32Array,
  expected: { shape: number[]; data: Float32Array },
  tolerance: number,
): ParityRow {
  const sameShape = dims.length === expected.shape.length && dims.every((d, i) => d === expected.shape[i]);
  const diff = sameShape ? maxAbsDiff(data, expected.data) : Infinity;
  return { prompt, name, maxAbsDiff: diff, tolerance, dims, expectedDims: expected.shape, ok: diff <= tolerance };
}

/** One line per failing row, for test messages. */
export function describeFailures(rows: readonly ParityRow[]): string[] {
  return rows
    .filter((r) => !r.ok)
    .map((r) =>
      r.maxAbsDiff === Infinity
        ? `p${r.prompt}.${r.name}: shape [${r.dims.join(', ')}] vs fixture [${r.expectedDims.join(', ')}] (or NaN)`
        : `p${r.prompt}.${r.name}: max |Δ| ${r.maxAbsDiff.toExponential(2)} > ${r.tolerance}`,
    );
}
