import { beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../../tools/testing/bundleFixtures';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { deltaPointFor } from '../model/deltaPoint';
import { SaeCodec } from '../sae/saeCodec';
import { CrossEntropy } from './saeEvaluation';
import { ablationDelta, spliceDelta } from './splice';

const LOAD_TIMEOUT_MS = 300_000;
/**
 * fp32 logits of two implementations of the same graph, averaged over a few dozen predictions:
 * well below the gap between a spliced and a clean run, so a splice at the wrong place fails.
 */
const CE_TOLERANCE = 1e-4;

describe("splicing each SAE in through the model's delta inputs (Node, wasm)", () => {
  let engine: Engine;
  let fixtures: Fixtures;

  beforeAll(async () => {
    ({ engine, fixtures } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  /** Cross-entropy over every prediction of the fixture prompts, with `delta(acts)` added at `hook` (or nothing). */
  async function promptsCe(hook: string | null, delta: (acts: Float32Array, T: number) => Promise<Float32Array> | Float32Array): Promise<number> {
    const { model } = engine.manifest;
    const ce = new CrossEntropy(fixtures.prompts.length);
    for (const [p, { tokens }] of fixtures.prompts.entries()) {
      const T = tokens.length;
      let deltas = {};
      if (hook) {
        const acts = (await engine.model.run(tokens, [hook])).hooks[hook]!.data as Float32Array;
        deltas = { [deltaPointFor(hook, model.steer_inputs)!]: await delta(acts, T) };
      }
      const out = await engine.model.runBatch([tokens], [], deltas);
      ce.add(p, out.logits.data as Float32Array, tokens, model.d_vocab);
    }
    return ce.mean(fixtures.prompts.map((_, p) => p));
  }

  it('gives the clean, spliced and zero-ablated cross-entropy PyTorch gave for every SAE', async () => {
    if (!fixtures.ce) throw new Error('This bundle ships no splice fixtures (fixtures.json "ce"); rebuild it.');
    const width = engine.manifest.model.d_model;
    expect(Math.abs((await promptsCe(null, (a) => a)) - fixtures.ce.clean)).toBeLessThan(CE_TOLERANCE);
    for (const info of engine.manifest.saes) {
      const want = fixtures.ce.by_sae[info.id]!;
      const codec = await SaeCodec.create(await engine.sae(info.id));
      const spliced = await promptsCe(info.hook_name, async (acts, T) =>
        spliceDelta(acts, await codec.decode(await codec.encode(acts, T), T, acts), T, width),
      );
      const zero = await promptsCe(info.hook_name, (acts, T) => ablationDelta(acts, T, width));
      await codec.release();
      expect(Math.abs(spliced - want.ce_spliced), `${info.id} spliced`).toBeLessThan(CE_TOLERANCE);
      expect(Math.abs(zero - want.ce_zero_ablation), `${info.id} zero-ablated`).toBeLessThan(CE_TOLERANCE);
    }
  }, LOAD_TIMEOUT_MS);
});
