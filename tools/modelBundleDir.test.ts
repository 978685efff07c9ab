import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModelBundle } from './modelBundleDir';

const root = '/repo';

describe('resolveModelBundle', () => {
  it('defaults to models/explorer-4l, served under its own name', () => {
    expect(resolveModelBundle(root, undefined)).toEqual({
      dir: path.resolve('/repo/models/explorer-4l'),
      urlPath: 'models/explorer-4l/',
    });
  });
  it('follows SAE_BUNDLE_DIR, relative to the repository root', () => {
    expect(resolveModelBundle(root, 'build/tiny-bundle')).toEqual({
      dir: path.resolve('/repo/build/tiny-bundle'),
      urlPath: 'models/tiny-bundle/',
    });
  });
});
