/**
 * What `vite build` writes into dist/, the folder a static host serves to readers: the app alone.
 * The parity and benchmark pages, and every module of tools/, are built apart (tools/vite.config.ts).
 */
import path from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The app's build in memory: every file dist/ would get, except the copied model bundle. */
async function appBuildFiles(): Promise<(Rolldown.OutputChunk | Rolldown.OutputAsset)[]> {
  const out = await build({ root: ROOT, configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'silent', build: { write: false } });
  return (Array.isArray(out) ? out : [out as Rolldown.RolldownOutput]).flatMap((o) => o.output);
}

describe('the app build (dist/)', () => {
  it('holds index.html as its only page, and no parity or bench page or code', async () => {
    const files = await appBuildFiles();
    const names = files.map((f) => f.fileName);
    expect(names.filter((n) => n.endsWith('.html'))).toEqual(['index.html']);
    expect(names.filter((n) => /bench|parity/i.test(n))).toEqual([]);
    const modules = files.flatMap((f) => (f.type === 'chunk' ? f.moduleIds : []));
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((m) => m.startsWith(path.join(ROOT, 'tools') + path.sep))).toEqual([]);
  });
});
