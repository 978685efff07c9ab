import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeFailures } from '../../../tools/parity/fixtureParity';
import { checkBuiltAgainstBundled, checkProcessedAgainstPyTorch, HF_FOLDER, UNPROCESSED } from '../../../tools/parity/hfParity';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Fixtures } from '../../../tools/testing/bundleFixtures';
import { Engine } from '../engine';
import { isHfManifest } from '../bundle/hfFolder';

const LOAD_TIMEOUT_MS = 300_000;

describe('the graph built from the Hugging Face layout of the bundled model (Node, wasm)', () => {
  let bundled: Engine;
  let fixtures: Fixtures;
  let hfDir: string;

  beforeAll(async () => {
    ({ engine: bundled, fixtures } = await loadTestEngine());
    hfDir = path.join(bundled.bundle.baseUrl.replace(/^file:\/\//, ''), HF_FOLDER);
  }, LOAD_TIMEOUT_MS);

  it('unprocessed, gives model.onnx’s logits and every hook within 1e-4, with deltas at every steering point', async () => {
    const built = await Engine.load(decodeURIComponent(hfDir) + UNPROCESSED, { backend: 'wasm' });
    expect(isHfManifest(built.manifest)).toBe(true);
    expect(built.manifest.model.hooks).toEqual(bundled.manifest.model.hooks);
    expect(built.manifest.model.steer_inputs).toEqual(bundled.manifest.model.steer_inputs);
    const rows = await checkBuiltAgainstBundled(bundled, built, fixtures.prompts.map((p) => p.tokens));
    expect(rows.length).toBe(fixtures.prompts.length * (1 + bundled.manifest.model.hooks.length));
    console.log(`worst |Δ| over ${rows.length} outputs: ${Math.max(...rows.map((r) => r.maxAbsDiff)).toExponential(2)}`);
    expect(describeFailures(rows)).toEqual([]);
    // the same tokenizer, from the folder's tokenizer.json
    expect(built.tokenize('The nation would not forget.').ids).toEqual(bundled.tokenize('The nation would not forget.').ids);
  }, LOAD_TIMEOUT_MS);

  it('with TransformerLens’s default processing, gives PyTorch’s processed logits and hooks within 1e-4', async () => {
    const built = await Engine.load(decodeURIComponent(hfDir), { backend: 'wasm' });
    const rows = await checkProcessedAgainstPyTorch(built, bundled.bundle);
    expect(rows.length).toBeGreaterThan(fixtures.prompts.length * 20);
    console.log(`worst |Δ| over ${rows.length} outputs: ${Math.max(...rows.map((r) => r.maxAbsDiff)).toExponential(2)}`);
    expect(describeFailures(rows)).toEqual([]);
  }, LOAD_TIMEOUT_MS);
});
