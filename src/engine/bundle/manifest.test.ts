import { describe, expect, it } from 'vitest';
import { EngineError } from '../types';
import { parseManifest } from './manifest';

function validManifest() {
  return {
    format: 'sae-explorer-bundle',
    version: 1,
    name: 'toy',
    model: {
      onnx: 'model.onnx',
      weights: 'model_weights.safetensors',
      n_layers: 2,
      d_model: 8,
      n_heads: 2,
      d_head: 4,
      n_ctx: 16,
      d_vocab: 32,
      bos_token_id: 0,
      hooks: ['blocks.0.hook_resid_pre', 'blocks.1.hook_resid_post', 'blocks.1.attn.hook_z', 'blocks.1.attn.hook_pattern'],
      steer_inputs: ['blocks.0.hook_resid_pre'],
    },
    tokenizer: 'tokenizer.json',
    saes: [
      { id: 'a', path: 'saes/a', hook_name: 'blocks.1.hook_resid_post', architecture: 'topk', d_in: 8, d_sae: 64, kind: 'resid', title: 'A' },
      { id: 'z', path: 'saes/z', hook_name: 'blocks.1.attn.hook_z', architecture: 'jumprelu', d_in: 8, d_sae: 64, title: '' },
    ],
    dashboards: { note: 'fields other engineers add are kept' },
  };
}

function messageOf(mutate: (m: ReturnType<typeof validManifest>) => void): string {
  const m = validManifest();
  mutate(m);
  try {
    parseManifest(m, 'bundle/manifest.json');
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).source).toBe('bundle/manifest.json');
    return (err as Error).message;
  }
  throw new Error('the manifest was accepted');
}

describe('manifest.json validation', () => {
  it('accepts a valid manifest, filling in layer, kind and title, and keeps unknown fields', () => {
    const m = parseManifest(validManifest());
    expect(m.saes.map((s) => [s.id, s.layer, s.kind, s.title])).toEqual([
      ['a', 1, 'resid', 'A'],
      ['z', 1, 'attn', 'z'],
    ]);
    expect((m as unknown as { dashboards: unknown }).dashboards).toEqual({ note: 'fields other engineers add are kept' });
    // plain data: it crosses postMessage to the UI
    expect(structuredClone(m)).toEqual(m);
  });

  it('names the file and the field at fault', () => {
    expect(messageOf((m) => (m.format = 'other'))).toMatch(/^bundle\/manifest\.json: "format" is "other"/);
    expect(messageOf((m) => (m.version = 2))).toMatch(/bundle version 2; this app reads version 1/);
    expect(messageOf((m) => ((m.model as { n_ctx: unknown }).n_ctx = '16'))).toMatch(/model\.n_ctx must be an integer ≥ 1, found "16"/);
    expect(messageOf((m) => (m.model.bos_token_id = 32))).toMatch(/bos_token_id 32 is outside the vocabulary \(d_vocab 32\)/);
    expect(messageOf((m) => m.model.hooks.push('blocks.2.hook_resid_pre'))).toMatch(/names "blocks\.2\.hook_resid_pre", but the model has 2 layers/);
  });

  it('reads the sizes and hashes it declares of its files', () => {
    const m = validManifest() as ReturnType<typeof validManifest> & { files: unknown };
    m.files = { 'model.onnx': { bytes: 12, sha256: 'ab'.repeat(32) }, 'tokenizer.json': { bytes: 3 } };
    expect(parseManifest(m).files).toEqual({ 'model.onnx': { bytes: 12, sha256: 'ab'.repeat(32) }, 'tokenizer.json': { bytes: 3 } });
    expect(messageOf((x) => Object.assign(x, { files: { 'model.onnx': { bytes: -1 } } }))).toMatch(/files\["model\.onnx"\]\.bytes must be an integer ≥ 0, found -1/);
    expect(messageOf((x) => Object.assign(x, { files: { 'model.onnx': { bytes: 1, sha256: 'XYZ' } } }))).toMatch(/files\["model\.onnx"\]\.sha256 must be 64 lowercase hex digits/);
  });

  it('checks each SAE against the model it is meant for', () => {
    expect(messageOf((m) => (m.saes[0]!.hook_name = 'blocks.0.hook_resid_post'))).toMatch(
      /SAE "a" reads hook "blocks\.0\.hook_resid_post", which the model does not output/,
    );
    expect(messageOf((m) => (m.saes[0]!.d_in = 16))).toMatch(/SAE "a" has d_in 16, but hook "blocks\.1\.hook_resid_post" holds 8 floats per token/);
    expect(messageOf((m) => (m.saes[0]!.architecture = 'weird'))).toMatch(/architecture "weird"; known: standard, topk/);
    expect(messageOf((m) => (m.saes[1]!.id = 'a'))).toMatch(/two SAEs share the id "a"/);
    expect(messageOf((m) => (m.saes[0]!.hook_name = 'blocks.1.attn.hook_pattern'))).toMatch(/no fixed width per token/);
  });
});
