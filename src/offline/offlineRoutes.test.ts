import { describe, expect, it } from 'vitest';
import { BUNDLE_PAGE_FILES, indexFolder } from './offlineRoutes';

const BUNDLE = 'https://host.example/demo/sae/models/explorer-4l/';

describe('offline routes', () => {
  it('keep the files the page reads from a bundle, not the engine’s or the shell’s', () => {
    for (const p of ['dashboards/index.json', 'dashboards/L2-resid-topk/shard-0003.bin', 'dashboards/prompt-preview.json', 'report.json', 'data/heldout.u16']) {
      expect(BUNDLE_PAGE_FILES.test(new URL(p, BUNDLE).pathname), p).toBe(true);
    }
    for (const p of ['model.onnx', 'manifest.json', 'tokenizer.json', 'saes/L2-resid-topk/sae_weights.safetensors', '../../assets/index-abc.js', '../../assets/ort-wasm-simd-threaded-DcHrbrbl.wasm']) {
      expect(BUNDLE_PAGE_FILES.test(new URL(p, BUNDLE).pathname), p).toBe(false);
    }
  });

  it('tie the kept files to the index they were read with', () => {
    expect(indexFolder(`${BUNDLE}dashboards/index.json`)).toBe(BUNDLE);
    expect(indexFolder(`${BUNDLE}dashboards/L2-resid-topk/index.json`)).toBe(`${BUNDLE}dashboards/L2-resid-topk/`);
    expect(indexFolder(`${BUNDLE}dashboards/L2-resid-topk/shard-0001.bin`)).toBeNull();
    expect(indexFolder(`${BUNDLE}report.json`)).toBeNull();
  });
});
