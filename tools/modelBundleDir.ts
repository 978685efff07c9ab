/**
 * Which bundle folder dev, build, tests, e2e tests and benchmarks use: `SAE_BUNDLE_DIR` (relative to
 * the repository root), e.g. a tiny bundle the training pipeline writes for tests, else the bundled
 * model. The app fetches it relative to the page, under its folder name.
 */
import path from 'node:path';

const DEFAULT_BUNDLE_DIR = 'models/explorer-4l';

export interface ModelBundleLocation {
  /** absolute folder on disk */
  dir: string;
  /** URL path of the folder relative to the app's base, with a trailing slash: `models/<name>/` */
  urlPath: string;
}

export function resolveModelBundle(root: string, envDir = process.env.SAE_BUNDLE_DIR): ModelBundleLocation {
  const dir = path.resolve(root, envDir && envDir.trim() !== '' ? envDir : DEFAULT_BUNDLE_DIR);
  return { dir, urlPath: `models/${path.basename(dir)}/` };
}
