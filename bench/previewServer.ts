/**
 * A production build, served the way a reader gets it: the app (vite.config.ts) or the pages that
 * check and time the engine (tools/vite.config.ts), built by `vite build` into a folder of the
 * benchmark's own (never dist/, which the e2e tests build and serve in the same checkout), then
 * `vite preview` on a free port, cross-origin isolated so onnxruntime gets its wasm threads.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const VITE = path.join(ROOT, 'node_modules/.bin/vite');

/** The app, or the parity and benchmark pages. */
export type Site = 'app' | 'tools';
const CONFIG: Record<Site, string> = { app: 'vite.config.ts', tools: 'tools/vite.config.ts' };

/** Vite's CLI flags for `site` built into `outDir` (relative to the repository root; the tools' Vite root is tools/). */
const siteFlags = (site: Site, outDir: string) => ['--config', CONFIG[site], '--outDir', path.join(ROOT, outDir)];

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Builds `site` into `outDir` (relative to the repository root). With `reuse`, an earlier build
 * that already holds every file of `needs` (relative to `outDir`) is kept.
 */
export function buildSite(site: Site, outDir: string, needs: string[], reuse: boolean): void {
  const out = path.join(ROOT, outDir);
  const missing = needs.filter((f) => !existsSync(path.join(out, f)));
  if (reuse && missing.length === 0) return;
  if (reuse) console.error(`[bench] ${outDir} lacks ${missing.join(', ')}: building it.`);
  const r = spawnSync(VITE, ['build', ...siteFlags(site, outDir), '--logLevel', 'warn', '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status}); fix the build and run the benchmark again.`);
}

/** `vite preview` of `site` built in `outDir` on `port`, once `probe` (a path on the server) answers. */
export async function startPreview(site: Site, outDir: string, port: number, probe: string): Promise<ChildProcess> {
  const server = spawn(VITE, ['preview', ...siteFlags(site, outDir), '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}):\n${log}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/${probe}`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill();
  throw new Error(`vite preview did not answer on port ${port} within 60 s:\n${log}`);
}
