/**
 * Every SAE of the bundle, run by our encoder on the bundle's fixture activations, against the
 * dense feature activations PyTorch computed from the same exported weights.
 * Bundle: $SAE_BUNDLE_DIR, default models/explorer-4l. A missing bundle fails, never skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../runtime';
import { compareFeatureActs } from './featureActsParity';
import { loadSae } from './loadSae';
import { SaeEncoder } from './saeEncoder';
import { saeFilesFromMap } from './saeFiles';
import { readSafetensors, type SafetensorsTensor } from './safetensors';

const bundleDir = resolve(process.env.SAE_BUNDLE_DIR ?? 'models/explorer-4l');
const TOLERANCE = 1e-4;

interface Manifest {
  saes: { id: string; path: string; hook_name: string; architecture: string }[];
  fixtures: string;
}

const manifestPath = join(bundleDir, 'manifest.json');
const manifest: Manifest | null = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : null;

describe(`bundle SAEs encode like PyTorch on the fixtures (${bundleDir})`, () => {
  if (!manifest) {
    it('finds the bundle', () => {
      throw new Error(`No bundle at ${bundleDir} (manifest.json is missing). Build it (models/train) or point SAE_BUNDLE_DIR at one, e.g. SAE_BUNDLE_DIR=build/tiny-bundle.`);
    });
    return;
  }

  let prompts = 0;
  let fixtures = new Map<string, SafetensorsTensor>();
  beforeAll(async () => {
    const index = JSON.parse(readFileSync(join(bundleDir, manifest.fixtures), 'utf8')) as { prompts: unknown[]; tensors: string };
    prompts = index.prompts.length;
    fixtures = await readSafetensors(new Uint8Array(readFileSync(join(bundleDir, manifest.fixtures, '..', index.tensors))));
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
    const encoder = await SaeEncoder.create(sae);
    expect(prompts).toBeGreaterThan(0);
    for (let p = 0; p < prompts; p++) {
      const acts = fixtures.get(`p${p}.${sae.hookName}`);
      const want = fixtures.get(`p${p}.sae.${sae.id}`);
      if (!acts || !want) throw new Error(`the fixtures lack p${p}.${sae.hookName} or p${p}.sae.${sae.id}`);
      const nTokens = acts.shape[0];
      const got = await encoder.encode(acts.data as Float32Array, nTokens);
      const report = compareFeatureActs(got, want.data as Float32Array, nTokens, sae.dSae, TOLERANCE);
      expect(report.mismatchedRows, `prompt ${p}: rows that differ from PyTorch`).toEqual([]);
      // Tie swaps are legitimate but must stay rare; a flood of them would mean a wrong ordering.
      expect(report.tieSwappedRows.length, `prompt ${p}: rows matching only up to tied indices`).toBeLessThanOrEqual(Math.ceil(nTokens / 10));
    }
    await encoder.release();
  });
});
