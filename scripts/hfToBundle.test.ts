import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestEngine } from '../tools/testing/testEngine';
import type { Fixtures } from '../tools/testing/bundleFixtures';
import { parseCorpusDocuments } from '../src/engine/analysis/heldoutCorpus';
import { Engine } from '../src/engine/engine';
import { convertHfToBundle } from './hf-to-bundle';

const TIMEOUT_MS = 300_000;

describe('scripts/hf-to-bundle.ts: a Hugging Face GPT-2 and SAELens SAEs as a static bundle', () => {
  let bundled: Engine;
  let fixtures: Fixtures;
  let bundleDir: string;

  beforeAll(async () => {
    ({ engine: bundled, fixtures } = await loadTestEngine());
    bundleDir = decodeURIComponent(new URL(bundled.bundle.baseUrl).pathname);
  }, TIMEOUT_MS);

  it('writes a bundle the engine opens, whose model and SAEs give the bundled model’s activations', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'hf-bundle-'));
    const corpus = path.join(out, 'corpus.txt');
    writeFileSync(corpus, fixtures.prompts.map((p) => p.text).join('\n\n').repeat(6));
    const saes = bundled.manifest.saes.filter((s) => s.id === 'L2-resid-topk' || s.kind === 'attn').slice(0, 2);
    const manifest = await convertHfToBundle(path.join(bundleDir, 'hf'), out, { saes: saes.map((s) => path.join(bundleDir, s.path)), corpus, seqLen: 32, processing: 'none' });
    expect(manifest.saes.map((s) => s.id)).toEqual(saes.map((s) => s.id));
    expect(manifest.data?.heldout?.n_seqs).toBeGreaterThan(2);

    const converted = await Engine.load(out, { backend: 'wasm' });
    const { tokens } = fixtures.prompts[0]!;
    for (const sae of saes) {
      const [want, got] = [await bundled.featureActs(tokens, sae.id), await converted.featureActs(tokens, sae.id)];
      let worst = 0;
      for (let i = 0; i < want.acts.length; i++) worst = Math.max(worst, Math.abs(want.acts[i]! - got.acts[i]!));
      expect(worst, sae.id).toBeLessThan(1e-4);
    }
    // held-out sequences start with BOS and hold the corpus's tokens
    const heldout = new Uint16Array(new Uint8Array(readFileSync(path.join(out, 'data/heldout.u16'))).buffer);
    expect(heldout[0]).toBe(manifest.model.bos_token_id);
    expect([...heldout.subarray(1, 6)]).toEqual(converted.tokenize(fixtures.prompts[0]!.text).ids.slice(1, 6));
    // generation's cached decoder builds from the converted model.onnx
    const cached = await converted.cachedModel();
    const step = await cached.step(tokens, cached.emptyCache());
    expect(step.logits.length).toBe(tokens.length * manifest.model.d_vocab);
  }, TIMEOUT_MS);

  it('with the bundle’s held-out text as the corpus, writes the bundle’s own token windows, and the text beside them', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'hf-bundle-'));
    const heldout = bundled.manifest.data!.heldout!;
    const manifest = await convertHfToBundle(path.join(bundleDir, 'hf'), out, { saes: [], corpus: path.join(bundleDir, heldout.text!), seqLen: heldout.seq_len, processing: 'none' });
    expect(manifest.data?.heldout).toEqual({ ...heldout, text: 'data/heldout.jsonl' });
    expect(readFileSync(path.join(out, 'data/heldout.u16')).equals(readFileSync(path.join(bundleDir, heldout.path)))).toBe(true);
    const docs = (file: string) => parseCorpusDocuments(readFileSync(file, 'utf8'), file);
    expect(docs(path.join(out, 'data/heldout.jsonl'))).toEqual(docs(path.join(bundleDir, heldout.text!)));
  }, TIMEOUT_MS);

  it('refuses an SAE trained on processing other than the conversion’s, saying which', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'hf-bundle-'));
    const sae = bundled.manifest.saes.find((s) => s.id === 'L2-resid-topk')!;
    await expect(convertHfToBundle(path.join(bundleDir, 'hf'), out, { saes: [path.join(bundleDir, sae.path)] })).rejects.toThrow(
      /trained on the model with center_writing_weights=false.*Convert with --processing from processing=none/,
    );
  }, TIMEOUT_MS);
});
