import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSaeDashboardHead, shardOf } from '../dashboardData/dashboardIndex';
import { decodeShard } from '../dashboardData/dashboardShard';
import type { FeatureDashboard } from '../dashboardData/featureDashboard';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { Engine } from '../engine/engine';
import { liveFeature } from './liveFeature';

const LOAD_TIMEOUT_MS = 300_000;
const FEATURE = 5;

/** The precomputed dashboard of one feature, read from the bundle's shard. */
async function precomputed(dir: string, saeId: string, index: number): Promise<FeatureDashboard> {
  const folder = path.join(dir, 'dashboards', saeId);
  const head = parseSaeDashboardHead(JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')), `${saeId}/index.json`);
  const shard = shardOf(head, index)!;
  const { features } = await decodeShard(new Uint8Array(readFileSync(path.join(folder, shard.path))), head.sae.signed);
  return features[index - shard.first]!;
}

describe('a live feature dashboard', () => {
  let engine: Engine;
  const dir = testBundleDir();

  beforeAll(async () => {
    engine = await Engine.load(dir, { backend: 'wasm' });
  }, LOAD_TIMEOUT_MS);

  // One SAE on the residual stream and one on hook_z (whose decoder reaches the logits through W_O).
  for (const kind of ['resid', 'attn'] as const) {
    it(`of ${kind === 'attn' ? 'an attention-output' : 'a residual-stream'} SAE shows the logit effects and neighbours its precomputed dashboard holds`, async () => {
      const sae = engine.manifest.saes.find((s) => s.kind === kind)!;
      const live = await liveFeature(engine, sae.id, FEATURE);
      const stored = await precomputed(dir, sae.id, FEATURE);
      // Stored values are i16 levels of the list's largest value; the order of near-ties may differ.
      const lead = (xs: { id: number }[]) => xs.slice(0, 3).map((x) => x.id);
      expect(lead(live.logits.positive)).toEqual(lead(stored.logits.positive));
      expect(lead(live.logits.negative)).toEqual(lead(stored.logits.negative));
      const scale = Math.abs(stored.logits.positive[0]!.value);
      expect(Math.abs(live.logits.positive[0]!.value - stored.logits.positive[0]!.value)).toBeLessThan(scale * 1e-3);
      expect(live.logits.histogram.counts.reduce((a, b) => a + b, 0)).toBe(engine.manifest.model.d_vocab);
      expect(live.neighbours.slice(0, 3).map((n) => n.index)).toEqual(stored.neighbours.slice(0, 3).map((n) => n.index));
      expect(Math.abs(live.neighbours[0]!.value - stored.neighbours[0]!.value)).toBeLessThan(1e-3);
      for (const { id } of live.logits.positive) expect(live.tokenTexts[id]).toBe(engine.tokenizer.tokenText(id));
    }, 120_000);
  }

  it('refuses a feature the SAE does not have, naming its range', async () => {
    const sae = engine.manifest.saes[0]!;
    await expect(liveFeature(engine, sae.id, sae.d_sae)).rejects.toThrow(`features 0 to ${sae.d_sae - 1}`);
  });
});
