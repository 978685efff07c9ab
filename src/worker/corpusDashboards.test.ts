/**
 * The corpus panels computed live for a reader's SAE are the precompute's, number for number: a
 * bundled SAE added again as if it were the reader's own gets, over the same sequences, dashboards
 * that pack into the very bytes the precompute writes, and the same feature summaries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDashboardsRoot, type SaeDashboardIndex } from '../dashboardData/dashboardIndex';
import { encodeShard } from '../dashboardData/dashboardShard';
import { precomputeDashboards, type OutputFile } from '../engine/analysis/precomputeDashboards';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { Engine } from '../engine/engine';
import { CorpusDashboardStore, type CorpusProgress } from './corpusDashboards';
import { EngineTurns } from './engineTurns';

const TIMEOUT = 600_000;
const SEQS = 16;
const USER_ID = 'user-copy';

describe('corpus panels computed live', () => {
  let engine: Engine;
  let bundleSaeId: string;
  let precomputed: { index: SaeDashboardIndex; files: OutputFile[]; root: OutputFile };
  const store = new CorpusDashboardStore(new EngineTurns());

  beforeAll(async () => {
    engine = await Engine.load(testBundleDir(), { backend: 'wasm' });
    const info = engine.manifest.saes.find((s) => s.kind === 'resid')!;
    bundleSaeId = info.id;
    const sae = await engine.sae(info.id);
    await engine.addSae({ ...sae, id: USER_ID, title: `${sae.title} (as a reader's SAE)` });
    let saeFiles: Pick<typeof precomputed, 'index' | 'files'> | null = null;
    const root = await precomputeDashboards(engine, {
      saeIds: [info.id],
      maxSeqs: SEQS,
      onSae: ({ index, files }) => {
        saeFiles = { index, files };
      },
    });
    precomputed = { ...saeFiles!, root };
  }, TIMEOUT);

  it('agree exactly with the precompute over the same sequences', async () => {
    const progress: CorpusProgress[] = [];
    const info = await store.compute(engine, USER_ID, SEQS, (p) => progress.push(p), new AbortController().signal);
    expect(engine.listSaes().find((s) => s.id === USER_ID)?.source).toBe('user');
    expect(info.nSeqs).toBe(SEQS);
    expect(progress.filter((p) => p.stage === 'corpus').at(-1)).toEqual({ stage: 'corpus', done: SEQS, total: SEQS });

    const root = parseDashboardsRoot(JSON.parse(new TextDecoder().decode(precomputed.root.bytes)));
    expect(info.root.corpus).toEqual(root.corpus);
    expect(info.root.vocab).toEqual(root.vocab);
    expect(info.corpus.nSeqs).toBe(SEQS);
    expect(info.corpus.ids.length).toBe(SEQS * root.corpus.seqLen);

    const { index } = precomputed;
    expect(info.saeIndex.features).toEqual(index.features);
    expect(info.saeIndex.settings).toEqual(index.settings);
    expect({ ...info.saeIndex.sae, id: bundleSaeId, title: '', weightsSha256: '' }).toEqual({ ...index.sae, title: '', weightsSha256: '' });

    const dSae = index.sae.dSae;
    const dVocab = engine.manifest.model.d_vocab;
    const live = await Promise.all(Array.from({ length: dSae }, (_, f) => store.feature(USER_ID, SEQS, f)));
    for (const shard of index.shards) {
      const file = precomputed.files.find((f) => f.path.endsWith(`/${shard.path}`))!;
      const bytes = await encodeShard({ firstFeature: shard.first, dSae, dVocab }, live.slice(shard.first, shard.first + shard.count), index.sae.signed);
      expect(Buffer.from(bytes).equals(Buffer.from(file.bytes)), `${shard.path} differs`).toBe(true);
    }
    // Some feature fires, so the comparison covered histograms and examples, not only empty pages.
    expect(live.some((d) => d.actHistogram !== null && d.groups.some((g) => g.examples.length > 0))).toBe(true);
  }, TIMEOUT);

  it('stops when cancelled, keeps nothing of it, and computes again afterwards', async () => {
    const stop = new AbortController();
    const run = store.compute(engine, USER_ID, SEQS + 8, () => stop.abort(), stop.signal);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    await expect(store.feature(USER_ID, SEQS + 8, 0)).rejects.toMatchObject({ code: 'not-found' });
    // What was computed before is still there, and a removed SAE's dashboards are forgotten.
    await expect(store.feature(USER_ID, SEQS, 0)).resolves.toMatchObject({ index: 0 });
    store.forget(USER_ID);
    await expect(store.feature(USER_ID, SEQS, 0)).rejects.toThrow('compute them again');
  }, TIMEOUT);
});
