/**
 * An opened bundle: its base URL, its validated manifest, and helpers that fetch the files the
 * manifest names (with progress events and the Cache API, checked against the sizes and hashes the
 * manifest declares) by their bundle-relative paths.
 *
 * A folder without manifest.json but with a Hugging Face config.json opens as a bundle too
 * (hfFolder.ts): its model files are built from model.safetensors when they are asked for. Such a
 * folder may also be one the reader gave as files (openFiles): only where the bytes come from differs.
 */
import { EngineError, errorCode } from '../../errors/engineError';
import type { LoadProgress } from '../types';
import { downloadBytes, parseJsonFile, type DownloadOptions } from './download';
import { readGivenFile } from './givenFiles';
import { HF_CONFIG, HF_WEIGHTS, hfBuiltFiles, hfManifest } from './hfFolder';
import { bundleBaseUrl, fileUrl } from './location';
import { parseManifest, type Manifest } from './manifest';

export type ProgressListener = (p: LoadProgress) => void;

/** Where a bundle's files come from: the bytes of a bundle-relative path. */
type ReadFile = (relative: string, options: DownloadOptions) => Promise<Uint8Array>;

export class Bundle {
  private constructor(
    /** absolute URL of the bundle folder, ending in '/' (for files the reader gave, the address that names them) */
    readonly baseUrl: string,
    readonly manifest: Manifest,
    private readonly readFile: ReadFile,
    private readonly onProgress?: ProgressListener,
    /** files made in the engine rather than fetched, by the name the manifest gives them */
    private readonly built = new Map<string, () => Promise<Uint8Array>>(),
  ) {}

  /**
   * Fetches and validates manifest.json, or where there is none, config.json of a Hugging Face
   * model; `location` is a folder URL, a manifest URL or (Node) a path.
   */
  static async open(location: string, onProgress?: ProgressListener): Promise<Bundle> {
    const baseUrl = bundleBaseUrl(location);
    const read: ReadFile = (relative, options) => downloadBytes(fileUrl(baseUrl, relative), options);
    let json: unknown;
    try {
      json = parseJsonFile(await read('manifest.json', { file: 'manifest.json', onProgress }), 'manifest.json');
    } catch (err) {
      // Missing, or not JSON: a host that answers every missing path with its index page says 200.
      if (errorCode(err) !== 'not-found' && errorCode(err) !== 'invalid') throw err;
      return Bundle.openHf(baseUrl, read, onProgress, () => {
        if (errorCode(err) !== 'not-found') throw err;
        throw new EngineError(
          `${baseUrl} has neither manifest.json (an SAE Explorer bundle) nor config.json (a Hugging Face model). Check the address.`,
          'manifest.json',
          'not-found',
        );
      });
    }
    return new Bundle(baseUrl, parseManifest(json, 'manifest.json'), read, onProgress);
  }

  /**
   * A Hugging Face model folder the reader gave as files (keyed by their path inside it), read from
   * them as `open` reads the same folder from a URL; `location` is the address that names it, whose
   * query says how it is processed.
   */
  static openFiles(location: string, files: ReadonlyMap<string, Blob>, onProgress?: ProgressListener): Promise<Bundle> {
    const read: ReadFile = (relative, options) => readGivenFile(files, relative, options);
    return Bundle.openHf(bundleBaseUrl(location), read, onProgress, (err) => {
      if (errorCode(err) !== 'not-found') throw err;
      throw new EngineError(
        `The files you gave have no ${HF_CONFIG}: a Hugging Face GPT-2 model is a folder holding ${HF_CONFIG}, ${HF_WEIGHTS} and ` +
          'tokenizer.json. Give that folder, or those three files.',
        HF_CONFIG,
        'not-found',
      );
    });
  }

  /** The folder as a Hugging Face model, if it has a config.json; else `noConfig` says why not. */
  private static async openHf(baseUrl: string, read: ReadFile, onProgress: ProgressListener | undefined, noConfig: (err: unknown) => never): Promise<Bundle> {
    let config: unknown;
    try {
      config = parseJsonFile(await read(HF_CONFIG, { file: HF_CONFIG, ...(onProgress ? { onProgress } : {}) }), HF_CONFIG);
    } catch (err) {
      noConfig(err);
    }
    const manifest = hfManifest(config, baseUrl);
    // The load shows the weights' download; later reads (the analyses, generation) come from the cache, unreported.
    let reads = 0;
    const weights = () => bundle.bytes(HF_WEIGHTS, reads++ === 0 ? onProgress : () => {});
    const bundle: Bundle = new Bundle(baseUrl, manifest, read, onProgress, hfBuiltFiles(manifest, weights));
    return bundle;
  }

  /** The absolute URL of a bundle-relative path. */
  url(relative: string): string {
    return fileUrl(this.baseUrl, relative);
  }

  bytes(relative: string, onProgress = this.onProgress): Promise<Uint8Array> {
    const build = this.built.get(relative);
    if (build) return build();
    return this.readFile(relative, this.options(relative, onProgress));
  }

  async text(relative: string, onProgress = this.onProgress): Promise<string> {
    return new TextDecoder().decode(await this.bytes(relative, onProgress));
  }

  async json(relative: string, onProgress = this.onProgress): Promise<unknown> {
    return parseJsonFile(await this.bytes(relative, onProgress), relative);
  }

  /** Each file is checked against what the manifest declares of it, where it declares anything. */
  private options(relative: string, onProgress?: ProgressListener): DownloadOptions {
    const expected = this.manifest.files?.[relative];
    return { file: relative, ...(onProgress ? { onProgress } : {}), ...(expected ? { expected } : {}) };
  }
}
