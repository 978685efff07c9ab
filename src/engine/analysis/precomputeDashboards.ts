/**
 * The dashboards of a bundle's SAEs, computed over its held-out corpus with the engine itself (so
 * numbers computed here and in the browser cannot disagree): one pass of the model over the corpus
 * feeds every SAE at once, then each SAE's dashboards are assembled and packed into shards.
 * Returns file contents; writing them is the caller's business (scripts/precompute-dashboards.ts).
 */
import type { Engine, SaeInfo } from '../engine';
import { SAELENS_WEIGHTS } from '../sae/saelensFormat';
import { SaeCodec } from '../sae/saeCodec';
import { EngineError, type Sae } from '../types';
import { type BuiltDashboards, buildDashboards, exampleOptionsOf, PROFILE_TOKENS } from './buildDashboards';
import type { FeatureColumns } from './featureColumns';
import { featureExamples } from './featureExamples';
import { type Corpus, sequence, sha256Hex } from '../../dashboardData/corpus';
import {
  DASHBOARDS_DIR,
  DASHBOARDS_FORMAT,
  DASHBOARDS_VERSION,
  dashboardSaeEntry,
  type DashboardSettings,
  parseSaeDashboardHead,
  DEFAULT_SETTINGS,
  type DashboardsRoot,
  type FeatureSummaries,
  saeDashboardDir,
  type SaeDashboardHead,
  type SaeDashboardIndex,
  MORE_EXAMPLES,
  parseDashboardsRoot,
  parseFeatureSummaries,
  type ShardList,
  SUMMARY_FILE,
  SUMMARY_SIGNATURE,
  SUMMARY_VERSION,
} from '../../dashboardData/dashboardIndex';
import { decodeShard, encodeShard } from '../../dashboardData/dashboardShard';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';
import { packJson, unpackJson } from '../../dashboardData/packedJson';
import { HEADS_FILE, type HeadStats, packHeadStats } from '../../dashboardData/headStats';
import { encodeLatentMap, MAP_FILE } from '../../dashboardData/latentMap';
import { saeLatentMap } from '../tsne/saeMap';
import { encodesLinearly } from './headAttribution';
import { activityOfDashboards, corpusHeadStats } from './headStats';
import { heuristicLabel, labelEvidence } from './heuristicLabel';
import { type PartialStats, SaeStatsAccumulator } from './saeStatsAccumulator';

export interface PrecomputeOptions {
  /** SAEs to compute (default: all of the bundle's) */
  saeIds?: string[];
  /** use only the first n sequences of the corpus (default: all) */
  maxSeqs?: number;
  /** sequences per model run */
  batchSeqs?: number;
  /** parts the corpus pass is split into after its first batch (default 1) */
  parallelism?: number;
  /** runs one part; default: in this thread, one after another */
  runPart?: CorpusPassRunner;
  /** features per shard */
  shardSize?: number;
  settings?: Omit<DashboardSettings, 'correlationStride'>;
  /**
   * Awaited between batches of the corpus pass run in this thread: a caller that shares the
   * engine can let other work run there, or throw to stop the pass.
   */
  onProgress?: (p: PrecomputeProgress) => Promise<void> | void;
  /** receives each SAE's files as soon as they are ready, so memory can be let go */
  onSae: (files: SaeDashboardFiles) => Promise<void> | void;
}

export interface PrecomputeProgress {
  stage: 'corpus' | 'assemble' | 'heads' | 'map';
  /** the SAE being assembled */
  saeId?: string;
  done: number;
  total: number;
}

/** A file to write, with its bundle-relative path. */
export interface OutputFile {
  path: string;
  bytes: Uint8Array;
}

export interface SaeDashboardFiles {
  saeId: string;
  index: SaeDashboardIndex;
  files: OutputFile[];
}

export const DEFAULT_SHARD_SIZE = 128;
const DEFAULT_BATCH_SEQS = 16;

/** The held-out corpus in use (Engine.heldoutCorpus), the hash of its windows, and how many of its sequences to use. */
export async function loadCorpus(engine: Engine, maxSeqs?: number): Promise<{ corpus: Corpus; usedSeqs: number; sha256: string; path: string }> {
  const { corpus, sha256, path } = await engine.heldoutCorpus();
  return { corpus, usedSeqs: Math.min(corpus.nSeqs, maxSeqs ?? corpus.nSeqs), sha256, path };
}

/** One part of the corpus pass: sequences [seqFrom, seqTo) through the model and the SAEs. */
export interface CorpusPassJob {
  saeIds: string[];
  seqFrom: number;
  seqTo: number;
  /** correlation stride per SAE, fixed by the first part so that every part uses the same */
  strides: Record<string, number | null>;
  batchSeqs: number;
}

/** Each SAE's share of a corpus pass part, by SAE id. */
export type CorpusPassResult = Record<string, PartialStats>;

/**
 * Runs one part of the corpus pass somewhere: in this thread by default, in a worker thread when
 * the caller has them (scripts/precompute-dashboards.ts). `onSequences` reports progress.
 */
export type CorpusPassRunner = (job: CorpusPassJob, onSequences: (done: number) => Promise<void> | void) => Promise<CorpusPassResult>;

/** One part of the corpus pass, in this thread: one model run per batch feeds every SAE; `onSequences` is awaited after each. */
export async function runCorpusPass(engine: Engine, corpus: Corpus, job: CorpusPassJob, onSequences: (done: number) => Promise<void> | void = () => {}): Promise<CorpusPassResult> {
  const parts: { sae: Sae; encoder: SaeCodec; acc: SaeStatsAccumulator }[] = [];
  try {
    for (const id of job.saeIds) {
      const sae = await engine.sae(id);
      const encoder = await SaeCodec.create(sae);
      parts.push({ sae, encoder, acc: new SaeStatsAccumulator(encoder, sae.dSae, corpus.seqLen, job.strides[id] ?? undefined) });
    }
    const hooks = [...new Set(parts.map((p) => p.sae.hookName))];
    for (let s = job.seqFrom; s < job.seqTo; s += job.batchSeqs) {
      const seqs = Array.from({ length: Math.min(job.batchSeqs, job.seqTo - s) }, (_, i) => sequence(corpus, s + i));
      const out = await engine.model.runBatch(seqs, hooks);
      for (const { sae, acc } of parts) {
        await acc.add(out.hooks[sae.hookName]!.data as Float32Array, seqs.length * corpus.seqLen, s * corpus.seqLen);
      }
      await onSequences(s + seqs.length - job.seqFrom);
    }
    return Object.fromEntries(parts.map(({ sae, acc }) => [sae.id, acc.takePartial()]));
  } finally {
    for (const p of parts) await p.encoder.release();
  }
}

/** Splits [from, to) into `n` contiguous ranges of whole batches, as even as possible. */
export function splitRange(from: number, to: number, n: number, batch: number): [number, number][] {
  const batches = Math.ceil((to - from) / batch);
  const parts = Math.max(1, Math.min(n, batches));
  const out: [number, number][] = [];
  let start = from;
  for (let i = 0; i < parts; i++) {
    const take = Math.floor(batches / parts) + (i < batches % parts ? 1 : 0);
    const end = Math.min(to, start + take * batch);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** One SAE's dashboards before packing, with the per-feature summaries its index lists. */
interface SaeDashboards {
  sae: Sae;
  built: BuiltDashboards;
  features: FeatureSummaries;
  /** the activations the dashboards were built from, for more examples on demand */
  columns: FeatureColumns;
}

/** Where an SAE reads the model, which its logit effects depend on (the manifest's or the engine's SaeInfo). */
type SaePlace = Pick<SaeInfo, 'kind' | 'layer'>;

/** Computes the dashboards and returns dashboards/index.json; each SAE's files go to `onSae`. */
export async function precomputeDashboards(engine: Engine, opts: PrecomputeOptions): Promise<OutputFile> {
  const { manifest } = engine;
  const saeInfos = opts.saeIds
    ? opts.saeIds.map((id) => manifest.saes.find((s) => s.id === id) ?? unknownSae(id, manifest.saes.map((s) => s.id)))
    : manifest.saes;
  saeInfos.forEach((s) => saeDashboardDir(s.id));
  const { corpus, usedSeqs, sha256, path } = await loadCorpus(engine, opts.maxSeqs);
  checkCorpusFits(engine, corpus, path);

  const pending = await passOverCorpus(engine, corpus, usedSeqs, saeInfos, opts);
  const shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
  const rootSaes: DashboardsRoot['saes'] = [];
  const total = pending.length;
  // Taken off the list one by one, so each SAE's corpus statistics can be freed once packed.
  for (let next = pending.shift(); next; next = pending.shift()) {
    const { place: info, sae } = next;
    await opts.onProgress?.({ stage: 'assemble', saeId: sae.id, done: total - pending.length - 1, total });
    const { built, features } = await assembleDashboards(engine, next, corpus, opts.settings);
    const dir = saeDashboardDir(sae.id);
    const files: OutputFile[] = [];
    const shards: SaeDashboardIndex['shards'] = [];
    for (let first = 0; first < sae.dSae; first += shardSize) {
      const count = Math.min(shardSize, sae.dSae - first);
      const name = `shard-${String(first / shardSize).padStart(4, '0')}.bin`;
      const bytes = await encodeShard({ firstFeature: first, dSae: sae.dSae, dVocab: manifest.model.d_vocab }, built.dashboards.slice(first, first + count), built.signed);
      files.push({ path: `${dir}/${name}`, bytes });
      shards.push({ path: name, first, count, bytes: bytes.length });
    }
    const weightsSha256 = await sha256Hex(await engine.bundle.bytes(`${info.path.replace(/\/+$/, '')}/${SAELENS_WEIGHTS}`));
    const head: SaeDashboardHead = { ...saeDashboardHead(sae, info, built, weightsSha256), shardSize, shards };
    if (info.kind === 'attn') {
      await opts.onProgress?.({ stage: 'heads', saeId: sae.id, done: total - pending.length - 1, total });
      const [stats] = await corpusHeadStats(engine, [{ sae, activity: activityOfDashboards(built.dashboards) }], corpus);
      files.push({ path: `${dir}/${HEADS_FILE}`, bytes: await packHeadStats(stats!) });
      head.heads = HEADS_FILE;
    }
    // The latent map needs only the weights, but is written with the rest so a bundle is complete in one run.
    await opts.onProgress?.({ stage: 'map', saeId: sae.id, done: total - pending.length - 1, total });
    files.push({ path: `${dir}/${MAP_FILE}`, bytes: encodeLatentMap(await saeLatentMap(engine, sae.id)) });
    head.map = MAP_FILE;
    const index: SaeDashboardIndex = { ...head, features };
    files.push({ path: `${dir}/index.json`, bytes: jsonBytes(head) });
    files.push({ path: `${dir}/${SUMMARY_FILE}`, bytes: await packJson(SUMMARY_SIGNATURE, SUMMARY_VERSION, features) });
    rootSaes.push({ id: sae.id, title: sae.title, dSae: sae.dSae, nDead: index.features.nActive.filter((n) => n === 0).length, path: `${sae.id}/index.json` });
    await opts.onSae({ saeId: sae.id, index, files });
  }
  await opts.onProgress?.({ stage: 'assemble', done: total, total });
  const root = dashboardsRoot(engine, { path, nSeqs: corpus.nSeqs, seqLen: corpus.seqLen, usedSeqs, sha256 }, rootSaes);
  return { path: `${DASHBOARDS_DIR}/index.json`, bytes: jsonBytes(root) };
}

/**
 * The dashboards of one SAE, bundled or the reader's own, over the first `maxSeqs` sequences of the
 * bundle's corpus, unpacked: the precompute's numbers exactly, for the browser to keep in memory.
 * Runs in this thread; `onProgress` is awaited between batches (to share the engine, or to stop).
 */
export async function corpusDashboards(
  engine: Engine,
  saeId: string,
  opts: Pick<PrecomputeOptions, 'maxSeqs' | 'batchSeqs' | 'settings' | 'onProgress'> = {},
): Promise<{
  root: DashboardsRoot;
  saeIndex: SaeDashboardIndex;
  dashboards: FeatureDashboard[];
  corpus: Corpus;
  heads: HeadStats | null;
  /** feature `index`'s example groups as "show more" offers them (MORE_EXAMPLES), picked as the bundle's are */
  moreExamples: (index: number) => FeatureDashboard['groups'];
}> {
  const info = engine.listSaes().find((s) => s.id === saeId) ?? unknownSae(saeId, engine.listSaes().map((s) => s.id));
  const { corpus, usedSeqs, sha256, path } = await loadCorpus(engine, opts.maxSeqs);
  checkCorpusFits(engine, corpus, path);
  const [pending] = await passOverCorpus(engine, corpus, usedSeqs, [info], opts);
  await opts.onProgress?.({ stage: 'assemble', saeId, done: 0, total: 1 });
  const { sae, built, features, columns } = await assembleDashboards(engine, pending!, corpus, opts.settings);
  let heads: HeadStats | null = null;
  if (info.kind === 'attn' && encodesLinearly(sae.architecture)) {
    await opts.onProgress?.({ stage: 'heads', saeId, done: 0, total: 1 });
    [heads = null] = await corpusHeadStats(engine, [{ sae, activity: activityOfDashboards(built.dashboards) }], corpus);
  }
  await opts.onProgress?.({ stage: 'assemble', done: 1, total: 1 });
  const nDead = features.nActive.filter((n) => n === 0).length;
  const root = dashboardsRoot(engine, { path, nSeqs: corpus.nSeqs, seqLen: corpus.seqLen, usedSeqs, sha256 }, [
    { id: sae.id, title: sae.title, dSae: sae.dSae, nDead, path: '' },
  ]);
  const used: Corpus = { ids: corpus.ids.slice(0, usedSeqs * corpus.seqLen), nSeqs: usedSeqs, seqLen: corpus.seqLen };
  // Kept in memory, not in shards: there are no files, hence no weights hash to name.
  const saeIndex: SaeDashboardIndex = { ...saeDashboardHead(sae, info, built, ''), shardSize: 0, shards: [], features };
  const more = exampleOptionsOf({ ...built.settings, ...MORE_EXAMPLES }, corpus.seqLen, built.signed);
  return { root, saeIndex, dashboards: built.dashboards, corpus: used, heads, moreExamples: (index) => featureExamples(columns, index, more) };
}

/**
 * Head statistics for the attention SAEs of a bundle whose dashboards are already computed, from
 * their shards (the same top examples the full precompute uses): each SAE's heads.bin and its
 * index.json naming it. Far cheaper than computing the dashboards again.
 */
export async function precomputeHeadStats(engine: Engine, saeIds?: string[]): Promise<OutputFile[]> {
  const { manifest } = engine;
  const infos = (saeIds ?? manifest.saes.map((s) => s.id)).map((id) => manifest.saes.find((s) => s.id === id) ?? unknownSae(id, manifest.saes.map((s) => s.id)));
  const { corpus } = await loadCorpus(engine);
  const read = [];
  for (const info of infos.filter((s) => s.kind === 'attn')) {
    const { dir, head, dashboards } = await readDashboards(engine, info.id);
    read.push({ dir, head, sae: await engine.sae(info.id), activity: activityOfDashboards(dashboards) });
  }
  // One model pass serves every SAE.
  const stats = await corpusHeadStats(engine, read, corpus);
  const files: OutputFile[] = [];
  for (const [i, { dir, head }] of read.entries()) {
    files.push({ path: `${dir}/${HEADS_FILE}`, bytes: await packHeadStats(stats[i]!) });
    files.push({ path: `${dir}/index.json`, bytes: jsonBytes({ ...head, heads: HEADS_FILE }) });
  }
  return files;
}

function checkCorpusFits(engine: Engine, corpus: Corpus, path: string): void {
  if (corpus.seqLen > engine.manifest.model.n_ctx) {
    throw new EngineError(`The corpus has sequences of ${corpus.seqLen} tokens, longer than the model's context (${engine.manifest.model.n_ctx}).`, path);
  }
}

/** One SAE's dashboards from its finished corpus pass, and the summaries of its features. */
async function assembleDashboards(engine: Engine, { sae, place, acc }: Pending, corpus: Corpus, settings = DEFAULT_SETTINGS): Promise<SaeDashboards> {
  const { manifest } = engine;
  const stats = acc.finish();
  const built = await buildDashboards(
    { ...sae, kind: place.kind, layer: place.layer },
    stats,
    await engine.modelWeights(),
    { dModel: manifest.model.d_model, dVocab: manifest.model.d_vocab },
    corpus,
    vocabText(engine),
    settings,
  );
  const features: FeatureSummaries = {
    nActive: built.dashboards.map((d) => d.nActive),
    maxAct: built.dashboards.map((d) => round(built.signed && Math.abs(d.minAct) > d.maxAct ? d.minAct : d.maxAct)),
    label: built.labels,
    topTokens: built.dashboards.flatMap((d) => Array.from({ length: PROFILE_TOKENS }, (_, j) => d.topTokens[j]?.id ?? -1)),
  };
  return { sae, built, features, columns: stats.columns };
}

function saeDashboardHead(sae: Sae, place: SaePlace, built: BuiltDashboards, weightsSha256: string): Omit<SaeDashboardHead, 'shardSize' | 'shards'> {
  return {
    format: DASHBOARDS_FORMAT,
    version: DASHBOARDS_VERSION,
    sae: dashboardSaeEntry({ ...sae, kind: place.kind, layer: place.layer }, built.signed, weightsSha256),
    settings: built.settings,
    summary: SUMMARY_FILE,
  };
}

function dashboardsRoot(engine: Engine, corpus: Omit<DashboardsRoot['corpus'], 'nTokens' | 'bosTokenId'>, saes: DashboardsRoot['saes']): DashboardsRoot {
  const { manifest } = engine;
  const tokenText = vocabText(engine);
  return {
    format: DASHBOARDS_FORMAT,
    version: DASHBOARDS_VERSION,
    bundle: manifest.name,
    corpus: { ...corpus, nTokens: corpus.usedSeqs * (corpus.seqLen - 1), bosTokenId: manifest.model.bos_token_id },
    vocab: Array.from({ length: manifest.model.d_vocab }, (_, id) => tokenText(id)),
    saes,
  };
}

/**
 * The corpus pass for every SAE: its first batch here (which fixes each SAE's correlation stride),
 * the rest in `parallelism` parts through `runPart`, merged back in corpus order.
 */
async function passOverCorpus<P extends SaePlace & { id: string }>(
  engine: Engine,
  corpus: Corpus,
  usedSeqs: number,
  saeInfos: P[],
  opts: Pick<PrecomputeOptions, 'batchSeqs' | 'parallelism' | 'runPart' | 'onProgress'>,
): Promise<Pending<P>[]> {
  const saeIds = saeInfos.map((s) => s.id);
  // The first batch runs here and fixes each SAE's correlation stride; the rest is split into parts.
  const batchSeqs = opts.batchSeqs ?? DEFAULT_BATCH_SEQS;
  const report = (done: number) => opts.onProgress?.({ stage: 'corpus', done, total: usedSeqs });
  const firstPart = await runCorpusPass(engine, corpus, { saeIds, seqFrom: 0, seqTo: Math.min(batchSeqs, usedSeqs), strides: {}, batchSeqs }, report);
  const strides = Object.fromEntries(saeIds.map((id) => [id, firstPart[id]!.correlationStride]));
  const ranges = splitRange(Math.min(batchSeqs, usedSeqs), usedSeqs, opts.parallelism ?? 1, batchSeqs).filter(([a, b]) => b > a);
  const doneByPart = ranges.map(() => 0);
  const run = (i: number, runner: CorpusPassRunner) =>
    runner({ saeIds, seqFrom: ranges[i]![0], seqTo: ranges[i]![1], strides, batchSeqs }, (done) => {
      doneByPart[i] = done;
      return report(Math.min(batchSeqs, usedSeqs) + doneByPart.reduce((a, b) => a + b, 0));
    });
  let rest: CorpusPassResult[];
  if (opts.runPart) {
    rest = await Promise.all(ranges.map((_, i) => run(i, opts.runPart!)));
  } else {
    // One engine runs one part at a time: its ONNX sessions are not shared between concurrent runs.
    rest = [];
    for (let i = 0; i < ranges.length; i++) rest.push(await run(i, (job, onSequences) => runCorpusPass(engine, corpus, job, onSequences)));
  }

  const pending: Pending<P>[] = [];
  for (const info of saeInfos) {
    const sae = await engine.sae(info.id);
    const acc = new SaeStatsAccumulator(null, sae.dSae, corpus.seqLen);
    for (const part of [firstPart, ...rest]) acc.addPartial(part[info.id]!);
    pending.push({ place: info, sae, acc });
  }

  return pending;
}

/** The text of a token id; ids the tokenizer lacks (a padded vocabulary) show as ⟨id⟩. */
/**
 * More examples per feature for "show more" (MORE_EXAMPLES: top sequences and samples per band), from
 * a corpus pass over the sequences the dashboards already computed cover, picked by the same code
 * with the same seeds: the first of them are the dashboards' own. Written as examples-NNNN.bin shards
 * beside the dashboards' (the same format and features per shard, only the example groups filled)
 * and named in each SAE's index.json (`moreExamples`).
 */
export async function precomputeMoreExamples(
  engine: Engine,
  opts: Pick<PrecomputeOptions, 'saeIds' | 'parallelism' | 'runPart' | 'onProgress'>,
): Promise<OutputFile[]> {
  const { manifest } = engine;
  const rootPath = `${DASHBOARDS_DIR}/index.json`;
  const root = parseDashboardsRoot(await engine.bundle.json(rootPath), rootPath);
  const infos = (opts.saeIds ?? root.saes.map((s) => s.id)).map((id) => manifest.saes.find((s) => s.id === id) ?? unknownSae(id, manifest.saes.map((s) => s.id)));
  const { corpus } = await loadCorpus(engine);
  const pending = await passOverCorpus(engine, corpus, root.corpus.usedSeqs, infos, opts);
  const files: OutputFile[] = [];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const dir = saeDashboardDir(next.sae.id);
    const head = parseSaeDashboardHead(await engine.bundle.json(`${dir}/index.json`), `${dir}/index.json`);
    const { columns } = next.acc.finish();
    const options = exampleOptionsOf({ ...head.settings, ...MORE_EXAMPLES }, corpus.seqLen, head.sae.signed);
    const shards: ShardList = [];
    for (const { first, count } of head.shards) {
      const records = Array.from({ length: count }, (_, i) => examplesOnly(columns, first + i, featureExamples(columns, first + i, options)));
      const name = `examples-${String(shards.length).padStart(4, '0')}.bin`;
      const bytes = await encodeShard({ firstFeature: first, dSae: head.sae.dSae, dVocab: manifest.model.d_vocab }, records, head.sae.signed);
      files.push({ path: `${dir}/${name}`, bytes });
      shards.push({ path: name, first, count, bytes: bytes.length });
    }
    files.push({ path: `${dir}/index.json`, bytes: jsonBytes({ ...head, moreExamples: { ...MORE_EXAMPLES, shards } }) });
  }
  return files;
}

/**
 * A shard record that holds a feature's example groups, and the activation range their levels are
 * stored against (the shard format scales example values by max |activation|); nothing else.
 */
function examplesOnly(columns: FeatureColumns, index: number, groups: FeatureDashboard['groups']): FeatureDashboard {
  let maxAct = 0;
  let minAct = 0;
  for (let i = columns.colStart[index]!; i < columns.colStart[index + 1]!; i++) {
    maxAct = Math.max(maxAct, columns.values[i]!);
    minAct = Math.min(minAct, columns.values[i]!);
  }
  const nActive = columns.colStart[index + 1]! - columns.colStart[index]!;
  const histogram = { lo: 0, hi: 0, counts: [] };
  return { index, nActive, maxAct, minAct, meanAct: 0, actHistogram: null, topTokens: [], logits: { positive: [], negative: [], histogram }, neighbours: [], correlated: [], groups };
}

/** An SAE's dashboards as an earlier run wrote them: its index.json and every feature of its shards. */
async function readDashboards(engine: Engine, saeId: string): Promise<{ dir: string; head: SaeDashboardHead; dashboards: FeatureDashboard[] }> {
  const dir = saeDashboardDir(saeId);
  const head = parseSaeDashboardHead(await engine.bundle.json(`${dir}/index.json`), `${dir}/index.json`);
  const dashboards: FeatureDashboard[] = [];
  for (const shard of head.shards) dashboards.push(...(await decodeShard(await engine.bundle.bytes(`${dir}/${shard.path}`), head.sae.signed)).features);
  return { dir, head, dashboards };
}

/**
 * The heuristic labels again, from the dashboards already computed (their top examples and token
 * shares, as the full precompute reads them): each SAE's summary.bin with new labels and nothing
 * else changed. For when the labelling rules change; no model run.
 */
export async function precomputeLabels(engine: Engine, saeIds?: string[]): Promise<OutputFile[]> {
  const rootPath = `${DASHBOARDS_DIR}/index.json`;
  const root = parseDashboardsRoot(await engine.bundle.json(rootPath), rootPath);
  const ids = saeIds ?? root.saes.map((s) => s.id);
  const { corpus } = await loadCorpus(engine);
  const tokenText = vocabText(engine);
  const files: OutputFile[] = [];
  for (const id of ids) {
    const { dir, head, dashboards } = await readDashboards(engine, id);
    const path = `${dir}/${head.summary}`;
    const summaries = parseFeatureSummaries(await unpackJson(await engine.bundle.bytes(path), SUMMARY_SIGNATURE, SUMMARY_VERSION), path, head.sae.dSae);
    const label = dashboards.map((d) => heuristicLabel(labelEvidence(d, corpus, root.corpus.usedSeqs), tokenText));
    files.push({ path, bytes: await packJson(SUMMARY_SIGNATURE, SUMMARY_VERSION, { ...summaries, label }) });
  }
  return files;
}

function vocabText(engine: Engine): (id: number) => string {
  const n = engine.tokenizer.vocabSize;
  return (id) => (id < n ? engine.tokenizer.tokenText(id) : `⟨${id}⟩`);
}

function unknownSae(id: string, known: string[]): never {
  throw new EngineError(`The bundle has no SAE "${id}". Its SAEs: ${known.join(', ')}.`, id);
}

/** Four significant digits: plenty for a list, a third of the bytes of full precision. */
function round(v: number): number {
  return Number(v.toPrecision(4));
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

interface Pending<P extends SaePlace = SaePlace> {
  place: P;
  sae: Sae;
  acc: SaeStatsAccumulator;
}
