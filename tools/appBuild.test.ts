/**
 * What `vite build` writes into dist/, the folder a static host serves to readers: the app alone.
 * The parity and benchmark pages, and every module of tools/, are built apart (tools/vite.config.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAppInMemory } from './appBuild';

describe('the app build (dist/)', () => {
  it('holds index.html as its only page, and no parity or bench page or code', async () => {
    const files = await buildAppInMemory();
    const names = files.map((f) => f.fileName);
    expect(names.filter((n) => n.endsWith('.html'))).toEqual(['index.html']);
    expect(names.filter((n) => /bench|parity/i.test(n))).toEqual([]);
    const modules = files.flatMap((f) => (f.type === 'chunk' ? f.moduleIds : []));
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((m) => m.startsWith(import.meta.dirname + path.sep))).toEqual([]);
  });
});
