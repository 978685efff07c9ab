import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { Engine } from '../engine';
import { parseCorpusDocuments, windowsOfDocuments } from './heldoutCorpus';
import { loadCorpus } from './precomputeDashboards';

const LOAD_TIMEOUT_MS = 300_000;

describe('the held-out text shipped in the bundle (data/heldout.jsonl)', () => {
  let bundled: Engine;

  beforeAll(async () => {
    ({ engine: bundled } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  it('re-tokenised with the bundle’s tokenizer, gives data/heldout.u16 token for token', async () => {
    const heldout = bundled.manifest.data!.heldout!;
    expect(heldout.text).toBe('data/heldout.jsonl');
    const docs = parseCorpusDocuments(await bundled.bundle.text(heldout.text!), heldout.text!);
    const { corpus, sources } = windowsOfDocuments(bundled.tokenizer, docs, { seqLen: heldout.seq_len, bos: bundled.manifest.model.bos_token_id });
    const { corpus: shipped } = await loadCorpus(bundled);
    expect(sources).toEqual(heldout.sources);
    expect(corpus.nSeqs).toBe(shipped.nSeqs);
    expect(corpus.ids).toEqual(shipped.ids);
    expect((await bundled.heldoutCorpus()).info.origin).toBe('bundle');
  });

  it('is the corpus of the bundled model opened from its Hugging Face files, borrowed from the bundle', async () => {
    const hf = await Engine.load(path.join(testBundleDir(), 'hf/?processing=none'), { backend: 'wasm', fallbackCorpus: testBundleDir() });
    const borrowed = await hf.heldoutCorpus();
    expect(borrowed.info).toMatchObject({ origin: 'text', name: bundled.manifest.name, nSeqs: bundled.manifest.data!.heldout!.n_seqs });
    expect(borrowed.corpus.ids).toEqual((await loadCorpus(bundled)).corpus.ids);
    // the same model, the same windows: the same activations downstream
    const seq = Array.from(borrowed.corpus.ids.subarray(0, 16));
    const [a, b] = await Promise.all([hf.run(seq, ['blocks.1.hook_resid_post']), bundled.run(seq, ['blocks.1.hook_resid_post'])]);
    expect(a.hooks['blocks.1.hook_resid_post']!.data).toEqual(b.hooks['blocks.1.hook_resid_post']!.data);
  }, LOAD_TIMEOUT_MS);

  it('without a bundle to borrow from, a Hugging Face model asks for the reader’s text, and takes it', async () => {
    const hf = await Engine.load(path.join(testBundleDir(), 'hf/?processing=none'), { backend: 'wasm' });
    await expect(hf.heldoutCorpus()).rejects.toThrow(/has no held-out corpus.*plain-text file/);
    const text = readFileSync(path.join(testBundleDir(), 'data/heldout.jsonl'), 'utf8').slice(0, 40_000);
    const info = await hf.useCorpus([{ name: 'notes.txt', bytes: new TextEncoder().encode(text) }]);
    expect(info).toMatchObject({ origin: 'reader', name: 'notes.txt', seqLen: 128 });
    expect(info.nSeqs).toBeGreaterThan(10);
    expect((await loadCorpus(hf, 4)).usedSeqs).toBe(4);
  }, LOAD_TIMEOUT_MS);
});
