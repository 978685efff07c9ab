import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// clang-14 and lld-14 are among the system packages `npm test` installs (scripts/systemPackages.mjs).
describe('the committed WebAssembly kernels', () => {
  it('are what their C sources compile to', () => {
    const script = path.resolve(import.meta.dirname, 'build-kernels.mjs');
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
