import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModelBundle } from '../tools/modelBundleDir';
import { bundleFileFor } from './modelBundle';

const root = '/repo';

describe('bundleFileFor', () => {
  const location = resolveModelBundle(root, undefined);
  it('maps request paths under the bundle URL to files in the folder', () => {
    expect(bundleFileFor(location, '/models/explorer-4l/saes/L2/cfg.json')).toBe(
      path.resolve('/repo/models/explorer-4l/saes/L2/cfg.json'),
    );
  });
  it('leaves other paths to the rest of the server', () => {
    expect(bundleFileFor(location, '/assets/index.js')).toBeNull();
    expect(bundleFileFor(location, '/models/other/manifest.json')).toBeNull();
  });
  it('refuses paths that climb out of the bundle folder', () => {
    expect(bundleFileFor(location, '/models/explorer-4l/../../etc/passwd')).toBeNull();
    expect(bundleFileFor(location, '/models/explorer-4l/%2e%2e/%2e%2e/package.json')).toBeNull();
  });
});
