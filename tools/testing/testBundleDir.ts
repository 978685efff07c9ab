/**
 * Node tests: the bundle folder to test against — SAE_BUNDLE_DIR, else models/explorer-4l, resolved
 * as the build does. A missing bundle fails the test with what to do, never skips it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveModelBundle } from '../modelBundleDir';

export function testBundleDir(): string {
  const { dir } = resolveModelBundle(process.cwd());
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(
      `No model bundle at ${dir} (manifest.json is missing). Build it with the pipeline in models/train, ` +
        'or point SAE_BUNDLE_DIR at a built bundle, e.g. SAE_BUNDLE_DIR=build/tiny-bundle.',
    );
  }
  return dir;
}
