/**
 * An opened bundle: its base URL, its validated manifest, and helpers that fetch the files the
 * manifest names (with progress events and the Cache API, checked against the sizes and hashes the
 * manifest declares) by their bundle-relative paths.
 */
import type { LoadProgress } from '../types';
import { downloadBytes, downloadJson, downloadText, type DownloadOptions } from './download';
import { bundleBaseUrl, fileUrl } from './location';
import { parseManifest, type Manifest } from './manifest';

export type ProgressListener = (p: LoadProgress) => void;

export class Bundle {
  private constructor(
    /** absolute URL of the bundle folder, ending in '/' */
    readonly baseUrl: string,
    readonly manifest: Manifest,
    private readonly onProgress?: ProgressListener,
  ) {}

  /** Fetches and validates manifest.json; `location` is a folder URL, a manifest URL or (Node) a path. */
  static async open(location: string, onProgress?: ProgressListener): Promise<Bundle> {
    const baseUrl = bundleBaseUrl(location);
    const json = await downloadJson(fileUrl(baseUrl, 'manifest.json'), { file: 'manifest.json', onProgress });
    return new Bundle(baseUrl, parseManifest(json, 'manifest.json'), onProgress);
  }

  /** The absolute URL of a bundle-relative path. */
  url(relative: string): string {
    return fileUrl(this.baseUrl, relative);
  }

  bytes(relative: string, onProgress = this.onProgress): Promise<Uint8Array> {
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
