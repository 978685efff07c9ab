/**
 * Reads a bundle's precomputed dashboards for the views: the index files, one shard per feature
 * page, the corpus the examples point into, and optional explanations. Everything is fetched once
 * and kept; every failure becomes an EngineError that names the file and says what to do.
 *
 * Files are small and static, so they go through the browser's HTTP cache (a plain fetch) rather
 * than the engine's Cache API downloads, whose per-file storage round trips cost a cold page load
 * more than these files take to arrive.
 */
import { EngineError, errorCode, errorMessage } from '../errors/engineError';
import { CorruptDataError } from './binaryIO';
import { type Corpus, readCorpus, sha256Hex } from './corpus';
import {
  DASHBOARDS_DIR,
  type DashboardsRoot,
  type FeatureSummaries,
  parseDashboardsRoot,
  parseFeatureSummaries,
  parseSaeDashboardHead,
  saeDashboardDir,
  type SaeDashboardHead,
  type SaeDashboardIndex,
  shardOf,
  SUMMARY_SIGNATURE,
  SUMMARY_VERSION,
} from './dashboardIndex';
import { decodeShard } from './dashboardShard';
import { type Explanations, parseExplanations } from './explanations';
import { type HeadStats, readHeadStats } from './headStats';
import { parsePromptPreview, PROMPT_PREVIEW_FILE, type PromptPreview } from './promptPreview';
import { type BundleReport, parseBundleReport } from './bundleReport';

/** Where the pipeline writes a bundle's report (manifest.json names it "report"). */
const REPORT_FILE = 'report.json';
import { decodeLatentMap, type LatentMap } from './latentMap';
import type { FeatureDashboard } from './featureDashboard';
import { unpackJson } from './packedJson';

export const PRECOMPUTE_HINT = 'Compute them with `npx tsx scripts/precompute-dashboards.ts <bundle folder>`.';

export class DashboardSource {
  private rootPromise: Promise<DashboardsRoot> | null = null;
  private corpusPromise: Promise<Corpus> | null = null;
  private readonly heads = new Map<string, Promise<SaeDashboardHead>>();
  private readonly summaries = new Map<string, Promise<FeatureSummaries>>();
  private readonly shards = new Map<string, Promise<FeatureDashboard[]>>();
  private readonly explanationFiles = new Map<string, Promise<Explanations | null>>();
  private readonly headStatsFiles = new Map<string, Promise<HeadStats>>();
  private reportPromise: Promise<BundleReport> | null = null;
  private readonly latentMaps = new Map<string, Promise<LatentMap | null>>();
  private previewPromise: Promise<PromptPreview | null> | null = null;

  constructor(
    /** absolute URL of the bundle folder, ending in '/' */
    readonly bundleUrl: string,
    /** how files are fetched: the platform's fetch, or (Node tests) one that reads file: URLs from disk */
    private readonly fetchFile: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
  ) {}

  root(): Promise<DashboardsRoot> {
    this.rootPromise ??= remember(async () => {
      const path = `${DASHBOARDS_DIR}/index.json`;
      try {
        return await this.fetchDecoded(path, (bytes) => parseDashboardsRoot(parseJson(bytes, path), path));
      } catch (err) {
        throw new EngineError(`This bundle has no readable feature dashboards: ${errorMessage(err)} ${PRECOMPUTE_HINT}`, path, errorCode(err));
      }
    }, () => (this.rootPromise = null));
    return this.rootPromise;
  }

  /** One SAE's index.json (shard list, settings); an SAE without dashboards is an error listing those with. */
  head(saeId: string): Promise<SaeDashboardHead> {
    return cached(this.heads, saeId, async () => {
      const root = await this.root();
      if (!root.saes.some((s) => s.id === saeId)) {
        throw new EngineError(
          `There are no dashboards for an SAE "${saeId}". This bundle has dashboards for: ${root.saes.map((s) => s.id).join(', ') || 'no SAE'}.`,
          saeId,
          'not-found',
        );
      }
      const path = `${saeDashboardDir(saeId)}/index.json`;
      return this.fetchDecoded(path, (bytes) => parseSaeDashboardHead(parseJson(bytes, path), path));
    });
  }

  /** One SAE's index with every feature's summary (for the feature index and labels). */
  async saeIndex(saeId: string): Promise<SaeDashboardIndex> {
    const head = await this.head(saeId);
    const features = await cached(this.summaries, saeId, () => {
      const path = `${saeDashboardDir(saeId)}/${head.summary}`;
      return this.fetchDecoded(path, async (bytes) => {
        try {
          return parseFeatureSummaries(await unpackJson(bytes, SUMMARY_SIGNATURE, SUMMARY_VERSION), path, head.sae.dSae);
        } catch (err) {
          if (!(err instanceof CorruptDataError)) throw err;
          throw new EngineError(`${path} is damaged: ${err.message}. Recompute the dashboards.`, path);
        }
      });
    });
    return { ...head, features };
  }

  /** Feature `index` of SAE `saeId`, fetching only its shard. */
  async feature(saeId: string, index: number): Promise<FeatureDashboard> {
    const head = await this.head(saeId);
    const { dSae } = head.sae;
    if (!Number.isInteger(index) || index < 0 || index >= dSae) {
      throw new EngineError(`Feature ${index} does not exist: SAE “${head.sae.title}” has features 0 to ${dSae - 1}.`, saeId, 'not-found');
    }
    return this.featureIn(head, head.shards, index);
  }

  /**
   * The example groups "show more" offers for feature `index` (MORE_EXAMPLES: more top sequences, more
   * per band), from their own shard, fetched on first use; null where the precompute stored none.
   */
  async moreExamples(saeId: string, index: number): Promise<FeatureDashboard['groups'] | null> {
    const head = await this.head(saeId);
    if (!head.moreExamples) return null;
    return (await this.featureIn(head, head.moreExamples.shards, index)).groups;
  }

  /** Feature `index` from the shard of `shards` (the dashboards', or the more examples') that holds it. */
  private async featureIn(head: SaeDashboardHead, shards: SaeDashboardHead['shards'], index: number): Promise<FeatureDashboard> {
    const { dSae } = head.sae;
    const shard = shardOf({ shards }, index)!;
    const path = `${saeDashboardDir(head.sae.id)}/${shard.path}`;
    const features = await cached(this.shards, path, () =>
      this.fetchDecoded(path, async (bytes) => {
        try {
          const { header, features } = await decodeShard(bytes, head.sae.signed);
          if (header.firstFeature !== shard.first || header.count !== shard.count || header.dSae !== dSae) {
            throw new CorruptDataError(
              `it holds features ${header.firstFeature}–${header.firstFeature + header.count - 1} of ${header.dSae}, ` +
                `but index.json expects ${shard.first}–${shard.first + shard.count - 1} of ${dSae} (files from different runs?)`,
            );
          }
          return features;
        } catch (err) {
          if (!(err instanceof CorruptDataError)) throw err;
          throw new EngineError(`${path} is damaged: ${err.message}. Recompute the dashboards, or fetch the file again.`, path);
        }
      }),
    );
    return features[index - shard.first]!;
  }

  /** The bundle's report.json: how well each of its SAEs reconstructs, measured on the held-out text. */
  report(): Promise<BundleReport> {
    this.reportPromise ??= remember(
      () => this.fetchDecoded(REPORT_FILE, (bytes) => parseBundleReport(parseJson(bytes, REPORT_FILE), REPORT_FILE)),
      () => (this.reportPromise = null),
    );
    return this.reportPromise;
  }

  /** An attention SAE's head statistics; an SAE whose index lists none is a 'not-found' error saying why. */
  async headStats(saeId: string): Promise<HeadStats> {
    const head = await this.head(saeId);
    if (head.heads === undefined) {
      throw new EngineError(
        head.sae.kind === 'attn'
          ? `The dashboards of ${saeId} were computed without head statistics. ${PRECOMPUTE_HINT}`
          : `${saeId} reads ${head.sae.hookName}, not an attention output: only attention SAEs have head statistics.`,
        saeId,
        'not-found',
      );
    }
    const path = `${saeDashboardDir(saeId)}/${head.heads}`;
    return cached(this.headStatsFiles, saeId, () =>
      this.fetchDecoded(path, async (bytes) => {
        try {
          return await readHeadStats(bytes, path);
        } catch (err) {
          if (!(err instanceof CorruptDataError)) throw err;
          throw new EngineError(`${err.message}. Recompute the dashboards, or fetch the file again.`, path);
        }
      }),
    );
  }

  /** SAE `saeId`'s precomputed latent map, or null when its index lists none (the page computes one live). */
  latentMap(saeId: string): Promise<LatentMap | null> {
    return cached(this.latentMaps, saeId, async () => {
      const head = await this.head(saeId);
      if (head.map === undefined) return null;
      const path = `${saeDashboardDir(saeId)}/${head.map}`;
      return this.fetchDecoded(path, (bytes) => {
        try {
          return decodeLatentMap(bytes, head.sae.dSae);
        } catch (err) {
          if (!(err instanceof CorruptDataError)) throw err;
          throw new EngineError(`${path} cannot be read: ${err.message}. Recompute the maps, or fetch the file again.`, path);
        }
      });
    });
  }

  /**
   * The prompt view's precomputed first paint (./promptPreview.ts), or null when the bundle's
   * manifest lists none (without asking the server for it). A file that differs from the manifest's
   * size or hash (another deploy's, or cut short) is an error: the view then waits for the engine.
   */
  promptPreview(): Promise<PromptPreview | null> {
    this.previewPromise ??= remember(async () => {
      const manifest = parseJson(await this.bytes('manifest.json', false), 'manifest.json') as { files?: Record<string, { bytes?: unknown; sha256?: unknown }> };
      const listed = manifest.files?.[PROMPT_PREVIEW_FILE];
      if (!listed) return null;
      const bytes = await this.bytes(PROMPT_PREVIEW_FILE, false);
      if (bytes.byteLength !== listed.bytes || (globalThis.crypto?.subtle && (await sha256Hex(bytes)) !== listed.sha256)) {
        throw new EngineError(`${PROMPT_PREVIEW_FILE} is not the file manifest.json lists (the bundle is being updated?).`, PROMPT_PREVIEW_FILE);
      }
      try {
        return parsePromptPreview(parseJson(bytes, PROMPT_PREVIEW_FILE), PROMPT_PREVIEW_FILE);
      } catch (err) {
        throw new EngineError(errorMessage(err), PROMPT_PREVIEW_FILE);
      }
    }, () => (this.previewPromise = null));
    return this.previewPromise;
  }

  /** The corpus the examples refer into, checked against the one the dashboards were computed on. */
  corpus(): Promise<Corpus> {
    this.corpusPromise ??= remember(async () => {
      const root = await this.root();
      const { path, nSeqs, seqLen, sha256 } = root.corpus;
      return this.fetchDecoded(path, async (bytes) => {
        const corpus = readCorpus(bytes, { nSeqs, seqLen, dVocab: root.vocab.length }, path);
        // Hashing needs WebCrypto, which insecure (plain-http, non-localhost) pages lack; skip it there.
        if (globalThis.crypto?.subtle && (await sha256Hex(bytes)) !== sha256) {
          throw new EngineError(
            `${path} is not the corpus the dashboards were computed over (its SHA-256 differs), so their examples would show the wrong text. Recompute the dashboards.`,
            path,
          );
        }
        return corpus;
      });
    }, () => (this.corpusPromise = null));
    return this.corpusPromise;
  }

  /**
   * Explanations shipped beside an SAE's dashboards, when its index.json lists a file of them
   * (`"explanations"`), else null without asking the server: a static host answers a missing file
   * with a 404 in the console, or an HTML page. A listed file that cannot be read is an error.
   */
  explanations(saeId: string, dSae?: number): Promise<Explanations | null> {
    return cached(this.explanationFiles, saeId, async () => {
      const head = await this.head(saeId);
      if (head.explanations === undefined) return null;
      const path = `${saeDashboardDir(saeId)}/${head.explanations}`;
      return this.fetchDecoded(path, (bytes) => parseExplanations(parseJson(bytes, path), path, dSae));
    });
  }

  /**
   * Fetches a file and decodes it. When a copy from the HTTP cache does not decode, it is fetched
   * once more past the cache before giving up, so a copy damaged in transit cannot stick.
   */
  private async fetchDecoded<T>(path: string, decode: (bytes: Uint8Array) => T | Promise<T>): Promise<T> {
    const bytes = await this.bytes(path, false);
    try {
      return await decode(bytes);
    } catch {
      return decode(await this.bytes(path, true));
    }
  }

  private async bytes(path: string, reload: boolean): Promise<Uint8Array> {
    const response = await this.fetch(path, reload ? { cache: 'reload' } : {});
    if (!response.ok) throw httpError(path, response);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** The response for bundle-relative `path`, whatever its status; no answer at all is an error. */
  private async fetch(path: string, init: RequestInit): Promise<Response> {
    const url = new URL(path, this.bundleUrl).href;
    // The paths come from the dashboards' own files: none may lead out of the bundle.
    if (!url.startsWith(this.bundleUrl)) {
      throw new EngineError(`The dashboards refer to "${path}", which is not a file inside the bundle. Recompute the dashboards.`, path);
    }
    try {
      return await this.fetchFile(url, init);
    } catch (err) {
      throw new EngineError(`Could not download ${path}: ${errorMessage(err)}. Check the connection.`, path, 'network');
    }
  }
}

function httpError(path: string, response: Response): EngineError {
  return new EngineError(
    `Could not download ${path}: the server answered ${response.status} ${response.statusText}. Is the bundle complete?`,
    path,
    response.status === 404 ? 'not-found' : 'http',
  );
}

/** Keeps a promise for reuse, but forgets it when it fails so that a retry fetches again. */
function remember<T>(make: () => Promise<T>, forget: () => void): Promise<T> {
  const p = make();
  p.catch(forget);
  return p;
}

/** The promise kept under `key`, made on first use and forgotten if it fails. */
function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let entry = map.get(key);
  if (!entry) {
    entry = remember(make, () => map.delete(key));
    map.set(key, entry);
  }
  return entry;
}

function parseJson(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new EngineError(
      `${path} is not valid JSON (${errorMessage(err)}). Is the bundle complete, and does the server return the file itself rather than an error page?`,
      path,
    );
  }
}

const sources = new Map<string, DashboardSource>();

/** The one source per bundle URL, so every view shares what was fetched. */
export function dashboardSourceFor(bundleUrl: string): DashboardSource {
  let source = sources.get(bundleUrl);
  if (!source) {
    source = new DashboardSource(bundleUrl);
    sources.set(bundleUrl, source);
  }
  return source;
}
