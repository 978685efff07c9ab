/**
 * The precompute end to end on the test bundle: the dashboards it writes, read back through the
 * same DashboardSource the views use, agree with the engine run directly on the corpus.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { Engine } from '../engine';
import { EngineError } from '../types';
import { sequence } from '../../dashboardData/corpus';
import { parseDashboardsRoot, type SaeDashboardIndex } from '../../dashboardData/dashboardIndex';
import { DashboardSource } from '../../dashboardData/dashboardSource';
import { featureAttribution } from './featureAttribution';
import { encoderColumn, weightHeadShares } from './headAttribution';
import { loadCorpus, precomputeDashboards } from './precomputeDashboards';

const TIMEOUT = 600_000;
const SEQS = 24;

/** fetch for file: URLs, which Node's own fetch does not read: the file, or a 404. */
async function fetchFromDisk(url: string): Promise<Response> {
  try {
    return new Response(readFileSync(fileURLToPath(url)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return new Response(null, { status: 404, statusText: 'Not Found' });
  }
}

describe('precomputed dashboards on the test bundle', () => {
  let engine: Engine;
  let dir: string;
  let source: DashboardSource;
  const indexes = new Map<string, SaeDashboardIndex>();
  let saeIds: string[];

  beforeAll(async () => {
    engine = await Engine.load(testBundleDir(), { backend: 'wasm' });
    // One residual and one attention-output SAE cover both logit-effect paths.
    const resid = engine.manifest.saes.find((s) => s.kind === 'resid')!;
    const attn = engine.manifest.saes.find((s) => s.kind === 'attn')!;
    saeIds = [resid.id, attn.id];
    dir = mkdtempSync(path.join(tmpdir(), 'dashboards-'));
    cpSync(path.join(testBundleDir(), 'data'), path.join(dir, 'data'), { recursive: true });
    const rootFile = await precomputeDashboards(engine, {
      saeIds,
      maxSeqs: SEQS,
      batchSeqs: 10,
      shardSize: 100,
      onSae: ({ saeId, index, files }) => {
        indexes.set(saeId, index);
        for (const f of files) {
          mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
          writeFileSync(path.join(dir, f.path), f.bytes);
        }
      },
    });
    writeFileSync(path.join(dir, rootFile.path), rootFile.bytes);
    source = new DashboardSource(pathToFileURL(dir).href + '/', fetchFromDisk);
  }, TIMEOUT);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('list the SAEs, the corpus they cover and the vocabulary', async () => {
    const root = parseDashboardsRoot(await source.root());
    expect(root.saes.map((s) => s.id)).toEqual(saeIds);
    expect(root.corpus.usedSeqs).toBe(SEQS);
    expect(root.corpus.nTokens).toBe(SEQS * (root.corpus.seqLen - 1));
    expect(root.vocab).toHaveLength(engine.manifest.model.d_vocab);
    expect(root.vocab[engine.manifest.model.bos_token_id]).toBe(engine.tokenizer.tokenText(engine.manifest.model.bos_token_id));
  });

  it('count each feature’s active tokens and its maximum exactly as the engine computes them on the corpus', async () => {
    const { corpus } = await loadCorpus(engine);
    for (const saeId of saeIds) {
      const index = await source.saeIndex(saeId);
      const dSae = index.sae.dSae;
      const nActive = new Float64Array(dSae);
      const max = new Float64Array(dSae);
      for (let s = 0; s < SEQS; s++) {
        const { acts } = await engine.featureActs(sequence(corpus, s), saeId);
        for (let t = 1; t < corpus.seqLen; t++) {
          for (let f = 0; f < dSae; f++) {
            const v = acts[t * dSae + f]!;
            if (v !== 0) nActive[f]!++;
            if (v > max[f]!) max[f] = v;
          }
        }
      }
      // Batched and single-sequence ONNX runs may differ in the last bits; counts may differ only
      // where an activation sits at the TopK boundary.
      const countDiff = index.features.nActive.reduce((sum, n, f) => sum + Math.abs(n - nActive[f]!), 0);
      expect(countDiff).toBeLessThanOrEqual(Math.ceil(0.001 * nActive.reduce((a, b) => a + b, 0)));
      index.features.maxAct.forEach((m, f) => expect(m).toBeCloseTo(max[f]!, 2));
    }
  }, TIMEOUT);

  it('point each top example at the corpus token where the feature peaks, with its activation', async () => {
    const { corpus } = await loadCorpus(engine);
    const saeId = saeIds[0]!;
    const index = await source.saeIndex(saeId);
    const live = index.features.nActive.map((n, f) => ({ n, f })).filter((x) => x.n > 0).slice(0, 5);
    expect(live.length).toBeGreaterThan(0);
    for (const { f } of live) {
      const d = await source.feature(saeId, f);
      const top = d.groups.find((g) => g.kind === 'top')!;
      const ex = top.examples[0]!;
      const seq = Math.floor(ex.token / corpus.seqLen);
      const { acts } = await engine.featureActs(sequence(corpus, seq), saeId);
      const dSae = index.sae.dSae;
      const pos = ex.token % corpus.seqLen;
      expect(acts[pos * dSae + f]).toBeCloseTo(d.maxAct, 3);
      // Every value of the window, quantised to 1/255 of the feature's maximum.
      const step = Math.max(Math.abs(d.maxAct), Math.abs(d.minAct)) / 255;
      for (let i = 0; i < ex.values.length; i++) {
        const t = ex.token - ex.start;
        const corpusPos = pos - t + i;
        const want = corpusPos === 0 ? 0 : acts[corpusPos * dSae + f]!;
        expect(Math.abs(ex.values[i]! - want)).toBeLessThanOrEqual(step / 2 + 1e-3);
      }
    }
  }, TIMEOUT);

  it('compute logit effects through W_O for attention SAEs and through ln_final and W_U for all', async () => {
    const weights = await engine.modelWeights();
    const { d_model: dModel, d_vocab: dVocab } = engine.manifest.model;
    for (const saeId of saeIds) {
      const sae = await engine.sae(saeId);
      const info = engine.manifest.saes.find((s) => s.id === saeId)!;
      const f = 3;
      // The reference: a plain loop, independent of the batched ONNX path.
      const dir = new Float64Array(dModel);
      if (info.kind === 'attn') {
        const W_O = weights.W_O[info.layer]!;
        for (let i = 0; i < sae.dIn; i++) for (let m = 0; m < dModel; m++) dir[m]! += sae.weights.W_dec[f * sae.dIn + i]! * W_O[i * dModel + m]!;
      } else {
        for (let m = 0; m < dModel; m++) dir[m] = sae.weights.W_dec[f * sae.dIn + m]!;
      }
      const mean = dir.reduce((a, b) => a + b, 0) / dModel;
      const logits = new Float64Array(dVocab);
      for (let m = 0; m < dModel; m++) {
        const x = (dir[m]! - mean) * weights.lnFinalW[m]!;
        for (let v = 0; v < dVocab; v++) logits[v]! += x * weights.W_U[m * dVocab + v]!;
      }
      const centre = logits.reduce((a, b) => a + b, 0) / dVocab;
      const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
      const d = await source.feature(saeId, f);
      expect(d.logits.positive[0]!.id).toBe(order[0]);
      expect(d.logits.positive[0]!.value).toBeCloseTo(logits[order[0]!]! - centre, 3);
      expect(d.logits.negative[0]!.id).toBe(order[dVocab - 1]);
      expect(d.logits.histogram.counts.reduce((a, b) => a + b, 0)).toBe(dVocab);
    }
  }, TIMEOUT);

  it('name each feature’s nearest decoder directions by cosine similarity', async () => {
    const saeId = saeIds[0]!;
    const sae = await engine.sae(saeId);
    const { dSae, dIn } = sae;
    const W = sae.weights.W_dec;
    const norm = (i: number) => Math.sqrt(Array.from({ length: dIn }, (_, k) => W[i * dIn + k]! ** 2).reduce((a, b) => a + b, 0));
    const f = 7;
    const cos = Array.from({ length: dSae }, (_, j) => {
      if (j === f) return -Infinity;
      let dot = 0;
      for (let k = 0; k < dIn; k++) dot += W[f * dIn + k]! * W[j * dIn + k]!;
      return dot / (norm(f) * norm(j));
    });
    const best = cos.indexOf(Math.max(...cos));
    const d = await source.feature(saeId, f);
    expect(d.neighbours[0]!.index).toBe(best);
    expect(d.neighbours[0]!.value).toBeCloseTo(cos[best]!, 3);
  });

  it('give the attention SAE head statistics whose corpus shares are the heads’ parts at the top examples', async () => {
    const [residId, attnId] = saeIds as [string, string];
    await expect(source.headStats(residId)).rejects.toThrow(/only attention SAEs have head statistics/);
    const stats = await source.headStats(attnId);
    const { n_heads: nHeads } = engine.manifest.model;
    const dSae = (await source.saeIndex(attnId)).sae.dSae;
    expect(stats.weightShares).toHaveLength(dSae * nHeads);
    expect(stats.heads).toHaveLength(nHeads);
    // The busiest feature: its corpus shares are the mean over its top examples of each head's DFA share.
    const { nActive } = (await source.saeIndex(attnId)).features;
    const f = nActive.indexOf(Math.max(...nActive));
    const d = await source.feature(attnId, f);
    const top = d.groups.find((g) => g.kind === 'top')!.examples;
    expect(stats.examples[f]).toBe(top.length);
    const { corpus } = await loadCorpus(engine);
    const mean = new Float64Array(nHeads);
    for (const e of top) {
      const seq = Math.floor(e.token / corpus.seqLen);
      const ids = sequence(corpus, seq).slice(0, (e.token % corpus.seqLen) + 1);
      const a = await featureAttribution(engine, ids, attnId, f, ids.length - 1);
      if (a.kind !== 'attn') throw new Error('expected an attention attribution');
      const byHead = Array.from({ length: nHeads }, (_, h) => a.bySource.subarray(h * a.T, (h + 1) * a.T).reduce((x, y) => x + y, 0));
      const total = byHead.reduce((x, y) => x + Math.abs(y), 0);
      byHead.forEach((v, h) => (mean[h]! += v / total / top.length));
    }
    for (let h = 0; h < nHeads; h++) expect(stats.corpusShares[f * nHeads + h]).toBeCloseTo(mean[h]!, 2);
    for (let h = 0; h < nHeads; h++) expect(stats.weightShares[f * nHeads + h]).toBeCloseTo(weightHeadShares(encoderColumn(await engine.sae(attnId), f), nHeads, engine.manifest.model.d_head)[h]!, 3);
  });

  it('refuse a feature index out of range and an SAE without dashboards, saying what exists', async () => {
    const saeId = saeIds[0]!;
    const dSae = (await source.saeIndex(saeId)).sae.dSae;
    await expect(source.feature(saeId, dSae)).rejects.toThrow(new RegExp(`Feature ${dSae} does not exist.*0 to ${dSae - 1}`));
    await expect(source.feature(saeId, dSae)).rejects.toMatchObject({ code: 'not-found' });
    await expect(source.saeIndex('no-such-sae')).rejects.toThrow(EngineError);
    await expect(source.saeIndex('no-such-sae')).rejects.toThrow(/dashboards for: /);
    await expect(source.explanations(saeId)).resolves.toBeNull();
  });

  it('read explanations only when the SAE’s index lists them', async () => {
    const saeId = saeIds[0]!;
    const dirOf = path.join(dir, 'dashboards', saeId);
    writeFileSync(path.join(dirOf, 'explanations.json'), JSON.stringify({ 3: 'the word “whale”' }));
    // present on disk but not listed: not asked for
    await expect(new DashboardSource(source.bundleUrl, fetchFromDisk).explanations(saeId)).resolves.toBeNull();
    const index = JSON.parse(readFileSync(path.join(dirOf, 'index.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dirOf, 'index.json'), JSON.stringify({ ...index, explanations: 'explanations.json' }));
    const listed = await new DashboardSource(source.bundleUrl, fetchFromDisk).explanations(saeId);
    expect(listed?.get(3)).toBe('the word “whale”');
    writeFileSync(path.join(dirOf, 'index.json'), JSON.stringify(index));
  });

  it('report a damaged shard by its file name', async () => {
    const saeId = saeIds[1]!;
    const index = await source.saeIndex(saeId);
    const shard = index.shards[0]!;
    writeFileSync(path.join(dir, 'dashboards', saeId, shard.path), new Uint8Array(200).fill(7));
    const fresh = new DashboardSource(source.bundleUrl, fetchFromDisk);
    await expect(fresh.feature(saeId, 0)).rejects.toThrow(new RegExp(`dashboards/${saeId}/${shard.path} is damaged`));
  });
});
