/**
 * Every SAE of the bundle, run by our encoder on the bundle's fixture activations, against the
 * dense feature activations PyTorch computed from the same exported weights.
 * Bundle: $SAE_BUNDLE_DIR, default models/explorer-4l. A missing bundle fails, never skips.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, loadFixtures, type Fixtures } from '../../../tools/testing/bundleFixtures';
import { compareFeatureActs } from '../../../tools/testing/featureActsParity';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { Bundle } from '../bundle/bundle';
import { parseManifest } from '../bundle/manifest';
import { initRuntime } from '../runtime';
import { loadSae } from './loadSae';
import { SaeCodec } from './saeCodec';
import { saeFilesFromMap } from './saeFiles';

const bundleDir = testBundleDir();
// Read now, not in beforeAll: there is one test per SAE of the manifest.
const manifest = parseManifest(JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')));
const TOLERANCE = 1e-4;

describe(`bundle SAEs encode like PyTorch on the fixtures (${bundleDir})`, () => {
  let fixtures: Fixtures;
  beforeAll(async () => {
    fixtures = await loadFixtures(await Bundle.open(bundleDir));
    await initRuntime('wasm');
  });

  it.each(manifest.saes.map((s) => [s.id, s] as const))('%s matches PyTorch on every fixture prompt', async (_id, entry) => {
    const folder = join(bundleDir, entry.path);
    const files = saeFilesFromMap(entry.path, {
      'cfg.json': new Uint8Array(readFileSync(join(folder, 'cfg.json'))),
      'sae_weights.safetensors': new Uint8Array(readFileSync(join(folder, 'sae_weights.safetensors'))),
    });
    const sae = await loadSae(files, { id: entry.id });
    expect(sae).toMatchObject({ architecture: entry.architecture, hookName: entry.hook_name });
    const codec = await SaeCodec.create(sae);
    expect(fixtures.prompts.length).toBeGreaterThan(0);
    for (let p = 0; p < fixtures.prompts.length; p++) {
      const acts = fixtureTensor(fixtures, p, sae.hookName);
      const want = fixtureTensor(fixtures, p, `sae.${sae.id}`);
      const nTokens = acts.shape[0]!;
      const got = await codec.encode(acts.data, nTokens);
      const report = compareFeatureActs(got, want.data, nTokens, sae.dSae, TOLERANCE);
      expect(report.mismatchedRows, `prompt ${p}: rows that differ from PyTorch`).toEqual([]);
      // Tie swaps are legitimate but must stay rare; a flood of them would mean a wrong ordering.
      expect(report.tieSwappedRows.length, `prompt ${p}: rows matching only up to tied indices`).toBeLessThanOrEqual(Math.ceil(nTokens / 10));
    }
    await codec.release();
  });
});
