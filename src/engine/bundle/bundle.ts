/**
 * An opened bundle: its base URL, its validated manifest, and helpers that fetch the files the
 * manifest names (with progress events and the Cache API, checked against the sizes and hashes the
 * manifest declares) by their bundle-relative paths.
 *
 * A folder without manifest.json but with a Hugging Face config.json opens as a bundle too
 * (hfFolder.ts): its model files are built from model.safetensors when they are asked for.
 */
import { EngineError, errorCode } from '../../errors/engineError';
import type { LoadProgress } from '../types';
import { downloadBytes, downloadJson, downloadText, type DownloadOptions } from './download';
import { HF_CONFIG, HF_WEIGHTS, hfBuiltFiles, hfManifest } from './hfFolder';
import { bundleBaseUrl, fileUrl } from './location';
import { parseManifest, type Manifest } from './manifest';

export type ProgressListener = (p: LoadProgress) => void;

export class Bundle {
  private constructor(
    /** absolute URL of the bundle folder, ending in '/' */
    readonly baseUrl: string,
    readonly manifest: Manifest,
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
    let json: unknown;
    try {
      json = await downloadJson(fileUrl(baseUrl, 'manifest.json'), { file: 'manifest.json', onProgress });
    } catch (err) {
      // Missing, or not JSON: a host that answers every missing path with its index page says 200.
      if (errorCode(err) !== 'not-found' && errorCode(err) !== 'invalid') throw err;
      return Bundle.openHf(baseUrl, err, onProgress);
    }
    return new Bundle(baseUrl, parseManifest(json, 'manifest.json'), onProgress);
  }

  /** The folder as a Hugging Face model, if it has a config.json; else `manifestError` stands. */
  private static async openHf(baseUrl: string, manifestError: unknown, onProgress?: ProgressListener): Promise<Bundle> {
    let config: unknown;
    try {
      config = await downloadJson(fileUrl(baseUrl, HF_CONFIG), { file: HF_CONFIG, onProgress });
    } catch {
      if (errorCode(manifestError) !== 'not-found') throw manifestError;
      throw new EngineError(
        `${baseUrl} has neither manifest.json (an SAE Explorer bundle) nor config.json (a Hugging Face model). Check the address.`,
        'manifest.json',
        'not-found',
      );
    }
    const manifest = hfManifest(config, baseUrl);
    // The load shows the weights' download; later reads (the analyses, generation) come from the cache, unreported.
    let reads = 0;
    const weights = () => bundle.bytes(HF_WEIGHTS, reads++ === 0 ? onProgress : () => {});
    const bundle: Bundle = new Bundle(baseUrl, manifest, onProgress, hfBuiltFiles(manifest, weights));
    return bundle;
  }

  /** The absolute URL of a bundle-relative path. */
  url(relative: string): string {
    return fileUrl(this.baseUrl, relative);
  }

  bytes(relative: string, onProgress = this.onProgress): Promise<Uint8Array> {
    const build = this.built.get(relative);
    if (build) return build();
    return downloadBytes(this.url(relative), this.options(relative, onProgress));
  }

  text(relative: string, onProgress = this.onProgress): Promise<string> {
    return downloadText(this.url(relative), this.options(relative, onProgress));
  }

  json(relative: string, onProgress = this.onProgress): Promise<unknown> {
    return downloadJson(this.url(relative), this.options(relative, onProgress));
  }

  /** Each file is checked against what the manifest declares of it, where it declares anything. */
  private options(relative: string, onProgress?: ProgressListener): DownloadOptions {
    const expected = this.manifest.files?.[relative];
    return { file: relative, ...(onProgress ? { onProgress } : {}), ...(expected ? { expected } : {}) };
  }
}
