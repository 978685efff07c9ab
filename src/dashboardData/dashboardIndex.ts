/**
 * The files that describe a bundle's dashboards (layout in docs/ARCHITECTURE.md, "Dashboards"):
 * `dashboards/index.json` (the corpus, the vocabulary as text, the SAEs),
 * `dashboards/<saeId>/index.json` (settings, shard list) and its `summary.bin` (per-feature
 * summaries for the feature index). Parsing checks what the views rely on and names the field at
 * fault.
 */
import type { SaeKind } from '../engine/model/hookShapes';
import { EngineError } from '../errors/engineError';

export const DASHBOARDS_FORMAT = 'sae-explorer-dashboards';
export const DASHBOARDS_VERSION = 1;
/** Folder of the dashboards inside a bundle. */
export const DASHBOARDS_DIR = 'dashboards';

export interface DashboardCorpus {
  /** bundle-relative path of the uint16 token file */
  path: string;
  /** sequences in the file */
  nSeqs: number;
  seqLen: number;
  /** the statistics cover the first `usedSeqs` sequences */
  usedSeqs: number;
  /** tokens the statistics cover: every position of the used sequences but each one's BOS */
  nTokens: number;
  bosTokenId: number;
  /** hex SHA-256 of the token file, to tell a stale dashboard from a current one */
  sha256: string;
}

export interface DashboardsRoot {
  format: typeof DASHBOARDS_FORMAT;
  version: typeof DASHBOARDS_VERSION;
  bundle: string;
  corpus: DashboardCorpus;
  /** text of every token id, d_vocab entries */
  vocab: string[];
  saes: { id: string; title: string; dSae: number; nDead: number; path: string }[];
}

export interface DashboardSettings {
  histogramBins: number;
  /** tokens shown before and after an example's peak */
  before: number;
  after: number;
  topExamples: number;
  intervals: number;
  perInterval: number;
  logitTokens: number;
  neighbours: number;
  correlated: number;
  /** correlations are taken over every n-th token (1: all of them) */
  correlationStride: number;
}

/** Defaults chosen so that all dashboards of the bundled 17 SAEs fit the bundle's size budget (16 MB). */
export const DEFAULT_SETTINGS: Omit<DashboardSettings, 'correlationStride'> = {
  histogramBins: 32,
  before: 12,
  after: 4,
  topExamples: 10,
  intervals: 4,
  perInterval: 3,
  logitTokens: 10,
  neighbours: 10,
  correlated: 8,
};

/**
 * How many examples "show more" offers: the top sequences, and samples per band of the activation
 * range. Stored apart from the dashboards (examples-NNNN.bin, fetched only on demand), so a page
 * fetches no more than it did, and computed live for the reader's own SAEs.
 */
export const MORE_EXAMPLES = { topExamples: 50, perInterval: 10 } as const;

export type ShardList = { path: string; first: number; count: number; bytes: number }[];

/** One SAE's index.json: enough to find and read a feature's shard. */
export interface SaeDashboardHead {
  format: typeof DASHBOARDS_FORMAT;
  version: typeof DASHBOARDS_VERSION;
  sae: {
    id: string;
    title: string;
    hookName: string;
    architecture: string;
    kind: SaeKind;
    layer: number;
    dIn: number;
    dSae: number;
    /** activations can be negative */
    signed: boolean;
    /** hex SHA-256 of the weights file the dashboards were computed from */
    weightsSha256: string;
  };
  settings: DashboardSettings;
  shardSize: number;
  shards: ShardList;
  /**
   * more examples per feature, in shards of the same format (only their example groups filled),
   * the same features per shard as `shards`; absent where none were computed
   */
  moreExamples?: { topExamples: number; perInterval: number; shards: ShardList };
  /** the file (beside index.json) holding the feature summaries: packed JSON, see packedJson.ts */
  summary: string;
  /** attention SAEs: the file (beside index.json) holding the head statistics (headStats.ts) */
  heads?: string;
  /** the file (beside index.json) holding the latent map's coordinates (latentMap.ts), when computed */
  map?: string;
  /** the file (beside index.json) of explanations that replace the heuristic labels, where there is one */
  explanations?: string;
}

/** The `sae` entry of an SAE's index.json, from what the engine knows of the SAE. */
export function dashboardSaeEntry(
  sae: Omit<SaeDashboardHead['sae'], 'signed' | 'weightsSha256'>,
  signed: boolean,
  weightsSha256: string,
): SaeDashboardHead['sae'] {
  const { id, title, hookName, architecture, kind, layer, dIn, dSae } = sae;
  return { id, title, hookName, architecture, kind, layer, dIn, dSae, signed, weightsSha256 };
}

/** index.json with its summaries: one entry per feature, for browsing and search without a shard. */
export interface SaeDashboardIndex extends SaeDashboardHead {
  features: FeatureSummaries;
}

export interface FeatureSummaries {
  nActive: number[];
  maxAct: number[];
  /** the heuristic label */
  label: string[];
  /** top three token ids per feature, flattened; −1 where there are fewer */
  topTokens: number[];
}

/** The summary file's name (beside index.json), signature and version. */
export const SUMMARY_FILE = 'summary.bin';
export const SUMMARY_SIGNATURE = 'SAESUMM\0';
export const SUMMARY_VERSION = 1;

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly source: string) {}

  fail(what: string): never {
    throw new EngineError(`${this.source}: ${what} Recompute the dashboards (scripts/precompute-dashboards.ts).`, this.source);
  }

  object(v: unknown, at: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${at} must be a JSON object.`);
    return v as Json;
  }

  string(v: unknown, at: string): string {
    if (typeof v !== 'string') this.fail(`${at} must be a string.`);
    return v as string;
  }

  int(v: unknown, at: string, min = 0): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(`${at} must be an integer ≥ ${min}.`);
    return v as number;
  }

  numbers(v: unknown, at: string, length: number): number[] {
    if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== 'number')) {
      this.fail(`${at} must be a list of ${length} numbers.`);
    }
    return v as number[];
  }

  strings(v: unknown, at: string, length?: number): string[] {
    if (!Array.isArray(v) || (length !== undefined && v.length !== length) || v.some((x) => typeof x !== 'string')) {
      this.fail(`${at} must be a list of ${length ?? 'some'} strings.`);
    }
    return v as string[];
  }

  header(root: Json): void {
    if (root.format !== DASHBOARDS_FORMAT) this.fail(`"format" is ${JSON.stringify(root.format)}, expected "${DASHBOARDS_FORMAT}".`);
    if (root.version !== DASHBOARDS_VERSION) {
      this.fail(`dashboard format version ${JSON.stringify(root.version)}; this app reads version ${DASHBOARDS_VERSION}.`);
    }
  }
}

export function parseDashboardsRoot(json: unknown, source = `${DASHBOARDS_DIR}/index.json`): DashboardsRoot {
  const c = new Checker(source);
  const root = c.object(json, 'the file');
  c.header(root);
  const corpus = c.object(root.corpus, 'corpus');
  const saes = Array.isArray(root.saes) ? root.saes : c.fail('"saes" must be a list.');
  return {
    format: DASHBOARDS_FORMAT,
    version: DASHBOARDS_VERSION,
    bundle: c.string(root.bundle, 'bundle'),
    corpus: {
      path: c.string(corpus.path, 'corpus.path'),
      nSeqs: c.int(corpus.nSeqs, 'corpus.nSeqs', 1),
      seqLen: c.int(corpus.seqLen, 'corpus.seqLen', 2),
      usedSeqs: c.int(corpus.usedSeqs, 'corpus.usedSeqs', 1),
      nTokens: c.int(corpus.nTokens, 'corpus.nTokens', 1),
      bosTokenId: c.int(corpus.bosTokenId, 'corpus.bosTokenId'),
      sha256: c.string(corpus.sha256, 'corpus.sha256'),
    },
    vocab: c.strings(root.vocab, 'vocab'),
    saes: saes.map((s, i) => {
      const o = c.object(s, `saes[${i}]`);
      return {
        id: c.string(o.id, `saes[${i}].id`),
        title: c.string(o.title, `saes[${i}].title`),
        dSae: c.int(o.dSae, `saes[${i}].dSae`, 1),
        nDead: c.int(o.nDead, `saes[${i}].nDead`),
        path: c.string(o.path, `saes[${i}].path`),
      };
    }),
  };
}

/** What an index.json may call its SAE's kind (the engine's SAE_KINDS, which this module cannot import). */
const KINDS = ['resid', 'attn', 'mlp'] as const satisfies readonly SaeKind[];

/** An SAE's index.json. */
export function parseSaeDashboardHead(json: unknown, source: string): SaeDashboardHead {
  const c = new Checker(source);
  const root = c.object(json, 'the file');
  c.header(root);
  const sae = c.object(root.sae, 'sae');
  const dSae = c.int(sae.dSae, 'sae.dSae', 1);
  const kind = KINDS.find((k) => k === sae.kind) ?? c.fail(`sae.kind must be one of ${KINDS.join(', ')}.`);
  const s = c.object(root.settings, 'settings');
  const settings: DashboardSettings = {
    histogramBins: c.int(s.histogramBins, 'settings.histogramBins', 1),
    before: c.int(s.before, 'settings.before'),
    after: c.int(s.after, 'settings.after'),
    topExamples: c.int(s.topExamples, 'settings.topExamples'),
    intervals: c.int(s.intervals, 'settings.intervals'),
    perInterval: c.int(s.perInterval, 'settings.perInterval'),
    logitTokens: c.int(s.logitTokens, 'settings.logitTokens'),
    neighbours: c.int(s.neighbours, 'settings.neighbours'),
    correlated: c.int(s.correlated, 'settings.correlated'),
    correlationStride: c.int(s.correlationStride, 'settings.correlationStride', 1),
  };
  const shardSize = c.int(root.shardSize, 'shardSize', 1);
  const shardList = (value: unknown, name: string): ShardList => {
    const list = Array.isArray(value) ? value : c.fail(`"${name}" must be a list.`);
    const shards = list.map((x, i) => {
      const o = c.object(x, `${name}[${i}]`);
      return { path: c.string(o.path, `${name}[${i}].path`), first: c.int(o.first, `${name}[${i}].first`), count: c.int(o.count, `${name}[${i}].count`, 1), bytes: c.int(o.bytes, `${name}[${i}].bytes`) };
    });
    let next = 0;
    for (const [i, sh] of shards.entries()) {
      if (sh.first !== next) c.fail(`${name}[${i}] starts at feature ${sh.first}, expected ${next}.`);
      next += sh.count;
    }
    if (next !== dSae) c.fail(`the ${name} cover ${next} features, but the SAE has ${dSae}.`);
    return shards;
  };
  const shards = shardList(root.shards, 'shards');
  const more = root.moreExamples === undefined ? undefined : c.object(root.moreExamples, 'moreExamples');
  return {
    format: DASHBOARDS_FORMAT,
    version: DASHBOARDS_VERSION,
    sae: {
      id: c.string(sae.id, 'sae.id'),
      title: c.string(sae.title, 'sae.title'),
      hookName: c.string(sae.hookName, 'sae.hookName'),
      architecture: c.string(sae.architecture, 'sae.architecture'),
      kind,
      layer: c.int(sae.layer, 'sae.layer'),
      dIn: c.int(sae.dIn, 'sae.dIn', 1),
      dSae,
      signed: sae.signed === true,
      weightsSha256: c.string(sae.weightsSha256, 'sae.weightsSha256'),
    },
    settings,
    shardSize,
    shards,
    summary: c.string(root.summary, 'summary'),
    ...(root.heads !== undefined ? { heads: c.string(root.heads, 'heads') } : {}),
    ...(root.explanations !== undefined ? { explanations: c.string(root.explanations, 'explanations') } : {}),
    ...(root.map !== undefined ? { map: c.string(root.map, 'map') } : {}),
    ...(more
      ? {
          moreExamples: {
            topExamples: c.int(more.topExamples, 'moreExamples.topExamples'),
            perInterval: c.int(more.perInterval, 'moreExamples.perInterval'),
            shards: shardList(more.shards, 'moreExamples.shards'),
          },
        }
      : {}),
  };
}

/** The feature summaries (unpacked from the `summary` file named by `source`) of an SAE of `dSae` features. */
export function parseFeatureSummaries(json: unknown, source: string, dSae: number): FeatureSummaries {
  const c = new Checker(source);
  const f = c.object(json, 'the summary');
  return {
    nActive: c.numbers(f.nActive, 'nActive', dSae),
    maxAct: c.numbers(f.maxAct, 'maxAct', dSae),
    label: c.strings(f.label, 'label', dSae),
    topTokens: c.numbers(f.topTokens, 'topTokens', dSae * 3),
  };
}

/** The shard holding feature `index`, or null when the index is out of range. */
export function shardOf(index: Pick<SaeDashboardHead, 'shards'>, feature: number): SaeDashboardHead['shards'][number] | null {
  return index.shards.find((s) => feature >= s.first && feature < s.first + s.count) ?? null;
}

/** Folder of one SAE's dashboards inside the bundle; the id is the folder name, so it must be path-safe. */
export function saeDashboardDir(saeId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(saeId)) {
    throw new EngineError(`SAE id "${saeId}" cannot name a dashboards folder: use letters, digits, ".", "_" and "-".`, saeId);
  }
  return `${DASHBOARDS_DIR}/${saeId}`;
}
