import { beforeAll, describe, expect, it } from 'vitest';
import { describeFailures, type ParityRow } from '../../../tools/parity/fixtureParity';
import { checkHfLayout } from '../../../tools/parity/hfParity';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import { isHfManifest } from '../bundle/hfFolder';
import type { Engine } from '../engine';

const LOAD_TIMEOUT_MS = 300_000;

describe('the graph built from the Hugging Face layout of the bundled model (Node, wasm)', () => {
  let bundled: Engine;
  let built: Engine;
  let rows: ParityRow[];

  beforeAll(async () => {
    ({ engine: bundled } = await loadTestEngine());
    ({ rows, built } = await checkHfLayout(bundled, 'wasm'));
  }, LOAD_TIMEOUT_MS);

  const worst = (prefix: string) => Math.max(...rows.filter((r) => r.name.startsWith(prefix)).map((r) => r.maxAbsDiff));

  it('unprocessed, gives model.onnx’s logits and every hook within 1e-4, with deltas at every steering point', () => {
    expect(isHfManifest(built.manifest)).toBe(true);
    expect(built.manifest.model.hooks).toEqual(bundled.manifest.model.hooks);
    expect(built.manifest.model.steer_inputs).toEqual(bundled.manifest.model.steer_inputs);
    const mine = rows.filter((r) => r.name.startsWith('hf.'));
    expect(mine.length).toBeGreaterThanOrEqual(2 * (1 + bundled.manifest.model.hooks.length));
    console.log(`built vs model.onnx: worst |Δ| ${worst('hf.').toExponential(2)} over ${mine.length} outputs`);
    expect(describeFailures(mine)).toEqual([]);
    // the same tokenizer, from the folder's tokenizer.json
    expect(built.tokenize('The nation would not forget.').ids).toEqual(bundled.tokenize('The nation would not forget.').ids);
  });

  it('with TransformerLens’s default processing, gives PyTorch’s processed logits and hooks within 1e-4', () => {
    const mine = rows.filter((r) => r.name.startsWith('hf-processed.'));
    expect(mine.length).toBeGreaterThanOrEqual(2 * (1 + bundled.manifest.model.hooks.length));
    console.log(`processed vs PyTorch: worst |Δ| ${worst('hf-processed.').toExponential(2)} over ${mine.length} outputs`);
    expect(describeFailures(mine)).toEqual([]);
  });
});
