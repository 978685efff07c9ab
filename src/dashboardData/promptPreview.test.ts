import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { Engine } from '../engine/engine';
import { DEFAULT_PROMPT } from '../state/promptStore';
import { analyzePrompt } from '../worker/analyzePrompt';
import { encodePromptPreview, parsePromptPreview, PROMPT_PREVIEW_FILE, type PromptPreview } from './promptPreview';

const LOAD_TIMEOUT_MS = 300_000;

describe('the prompt preview file', () => {
  it('keeps the nonzero activations exactly and refuses a damaged file', () => {
    const acts = new Float32Array([0, 0, 0, 1.5, 0, Math.fround(0.1), -2.25, 0, 0]);
    const preview: PromptPreview = {
      saes: [{ id: 's', title: 'S', hookName: 'blocks.0.hook_resid_post', architecture: 'topk', dIn: 4, dSae: 3, layer: 0, kind: 'resid', source: 'bundle' }],
      activations: { text: 'ab', saeId: 's', ids: [0, 5, 6], tokens: ['<bos>', 'a', 'b'], special: [true, false, false], truncated: false, nCtx: 8, nTokens: 3, dSae: 3, acts },
    };
    const json = JSON.parse(encodePromptPreview(preview)) as Record<string, unknown>;
    expect(parsePromptPreview(json, 'p.json')).toEqual(preview);
    expect(() => parsePromptPreview({ ...json, version: 2 }, 'p.json')).toThrow(/p\.json is not a prompt preview: format/);
    expect(() => parsePromptPreview({ ...json, ids: [0, 5] }, 'p.json')).toThrow(/differ in length/);
    expect(() => parsePromptPreview({ ...json, saeId: 't' }, 'p.json')).toThrow(/its SAE is not among its SAEs/);
    expect(() => parsePromptPreview({ ...json, active: [{ features: [3], values: [1] }, { features: [], values: [] }, { features: [], values: [] }] }, 'p.json')).toThrow(
      /token 0 names feature 3/,
    );
  });
});

describe('the bundle’s prompt preview (Node, wasm)', () => {
  let engine: Engine;
  const dir = testBundleDir();
  const bytes = readFileSync(path.join(dir, PROMPT_PREVIEW_FILE));

  beforeAll(async () => {
    engine = await Engine.load(dir, { backend: 'wasm' });
  }, LOAD_TIMEOUT_MS);

  it('is listed in the manifest with its size and hash', () => {
    expect(engine.manifest.files?.[PROMPT_PREVIEW_FILE]).toEqual({ bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('holds what the engine computes live for the default text on the SAE the prompt view starts with', async () => {
    const preview = parsePromptPreview(JSON.parse(bytes.toString('utf8')), PROMPT_PREVIEW_FILE);
    expect(preview.saes).toEqual(engine.listSaes());
    const first = engine.listSaes()[0]!;
    const live = await analyzePrompt(engine, DEFAULT_PROMPT, first.id);
    const { acts: shipped, ...shippedRest } = preview.activations;
    const { acts, ...liveRest } = live;
    expect(shippedRest).toEqual(liveRest);
    // The same features fire on every token, with the same values (float32, whatever order a kernel sums in).
    expect(shipped.map((v) => (v === 0 ? 0 : 1))).toEqual(acts.map((v) => (v === 0 ? 0 : 1)));
    const worst = shipped.reduce((m, v, i) => Math.max(m, Math.abs(v - acts[i]!) / Math.max(1, Math.abs(acts[i]!))), 0);
    expect(worst).toBeLessThan(1e-5);
  }, LOAD_TIMEOUT_MS);
});
