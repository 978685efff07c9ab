/**
 * Model + every bundled SAE on one text, as the explorer computes it: onnxruntime-web wasm in
 * Debian's chromium against PyTorch CPU eager on the same weights (bench/torch_model_saes.py), in
 * the same run, one after the other so they never share the CPU.
 *
 *   npm run bench:model [-- --reuse-dist] [--repeats N] [--lengths 128,1024]
 *
 * Builds the app into build/bench-dist/ (not dist/, which the e2e tests build and serve in the same
 * checkout; --reuse-dist keeps an earlier build), serves it with `vite preview` (cross-origin
 * isolated, so ORT gets its wasm threads), times bench.html, runs the PyTorch script, prints a
 * table with the ratio ours / PyTorch per length and the fraction of the machine's measured matmul
 * peak each side reaches, and rewrites the "Model + SAEs" section of docs/BENCHMARKS.md.
 * SAE_BUNDLE_DIR picks the bundle (default models/explorer-4l).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { BenchReport } from '../src/bench/main';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { resolveModelBundle } from '../vite-plugins/modelBundle';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const VITE = path.join(ROOT, 'node_modules/.bin/vite');
const DOC = path.join(ROOT, 'docs/BENCHMARKS.md');
const OUT_DIR = 'build/bench-dist';
const SECTION = '## Model + SAEs: onnxruntime-web wasm vs PyTorch';
const PAGE_TIMEOUT_MS = 20 * 60_000;

interface TorchLength {
  ms: number;
  threads: number;
  by_threads: Record<string, number>;
  gflop: number;
}

interface TorchReport {
  reference: string;
  lengths: Record<string, TorchLength>;
  matmul_peak_gflops: number;
}

interface Row {
  tokens: number;
  oursMs: number;
  oursMinMs: number;
  modelMs: number;
  torchMs: number;
  torchThreads: number;
  gflop: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function freePort(): Promise<number> {
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

function build(bundleName: string, reuse: boolean): void {
  const out = path.join(ROOT, OUT_DIR);
  const ready = existsSync(path.join(out, 'bench.html')) && existsSync(path.join(out, 'models', bundleName, 'manifest.json'));
  if (reuse && ready) return;
  if (reuse) console.error(`[bench] ${OUT_DIR} lacks bench.html or models/${bundleName}: building it.`);
  const r = spawnSync(VITE, ['build', '--logLevel', 'warn', '--outDir', OUT_DIR, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status}); fix the build and run the benchmark again.`);
}

async function startPreview(port: number): Promise<ChildProcess> {
  const server = spawn(VITE, ['preview', '--outDir', OUT_DIR, '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}):\n${log}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/bench.html`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill();
  throw new Error(`vite preview did not answer on port ${port} within 60 s:\n${log}`);
}

async function runBrowser(port: number, lengths: number[], repeats: number): Promise<BenchReport> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const query = new URLSearchParams({ backend: 'wasm', lengths: lengths.join(','), repeats: String(repeats) });
    await page.goto(`http://127.0.0.1:${port}/bench.html?${query}`);
    await page.waitForFunction(() => window.__bench?.done === true, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
    const report = (await page.evaluate(() => window.__bench))!;
    if (report.error) throw new Error(`bench.html failed: ${report.error}${pageErrors.length ? `\n${pageErrors.join('\n')}` : ''}`);
    return report;
  } finally {
    await browser.close();
  }
}

function runTorch(bundleDir: string, lengths: number[]): TorchReport {
  const script = path.join(ROOT, 'bench/torch_model_saes.py');
  const r = spawnSync(PYTHON, [script, bundleDir, ...lengths.map(String)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as TorchReport;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function table(rows: Row[], peak: number): string[] {
  const head = '| tokens | ours (ms) | ours fastest (ms) | model alone (ms) | PyTorch (ms) | ours / PyTorch | GFLOP | ours % of peak | PyTorch % of peak |';
  const lines = [head, '|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const oursFrac = r.gflop / (r.oursMs / 1e3) / peak;
    const torchFrac = r.gflop / (r.torchMs / 1e3) / peak;
    lines.push(
      `| ${r.tokens} | ${fmt(r.oursMs)} | ${fmt(r.oursMinMs)} | ${fmt(r.modelMs)} | ${fmt(r.torchMs)} (${r.torchThreads} thr) | ` +
        `**${fmt(r.oursMs / r.torchMs, 2)}×** | ${fmt(r.gflop, 2)} | ${pct(oursFrac)} | ${pct(torchFrac)} |`,
    );
  }
  return lines;
}

function updateDoc(section: string): void {
  const existing = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const start = existing.indexOf(SECTION);
  let next: string;
  if (start < 0) {
    next = `${existing.trimEnd()}\n\n${section}`;
  } else {
    // The section runs to the next heading of the same level (another engineer's section) or the end.
    const after = existing.indexOf('\n## ', start + SECTION.length);
    next = existing.slice(0, start) + section + (after < 0 ? '' : `\n${existing.slice(after + 1)}`);
  }
  writeFileSync(DOC, `${next.trimEnd()}\n`);
}

async function main(): Promise<void> {
  const bundle = resolveModelBundle(ROOT);
  const manifestPath = path.join(bundle.dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`No bundle at ${path.relative(ROOT, bundle.dir)} (manifest.json missing). Build it or set SAE_BUNDLE_DIR.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { model: { n_ctx: number } };
  const wanted = (option('--lengths') ?? '128,1024').split(',').map(Number);
  const lengths = [...new Set(wanted.map((t) => Math.min(t, manifest.model.n_ctx)))];
  const repeats = Number(option('--repeats') ?? 7);
  const bundleName = path.basename(bundle.dir);

  build(bundleName, process.argv.includes('--reuse-dist'));
  const loadBefore = loadavg()[0]!;
  const port = await freePort();
  const server = await startPreview(port);
  let ours: BenchReport;
  try {
    console.error(`[bench] timing bench.html on port ${port} (${lengths.join(', ')} tokens, ${repeats} runs each)…`);
    ours = await runBrowser(port, lengths, repeats);
  } finally {
    server.kill();
  }
  console.error('[bench] timing PyTorch…');
  const torch = runTorch(bundle.dir, lengths);
  const loadAfter = loadavg()[0]!;

  const rows: Row[] = ours.lengths!.map((l) => {
    const t = torch.lengths[String(l.tokens)];
    if (!t) throw new Error(`PyTorch reported no time for ${l.tokens} tokens (it has ${Object.keys(torch.lengths).join(', ')}).`);
    console.error(`[bench] ${l.tokens} tokens, each run (ms): ${l.runsMs.map((x) => fmt(x)).join(', ')}`);
    return { tokens: l.tokens, oursMs: l.ms, oursMinMs: Math.min(...l.runsMs), modelMs: l.modelMs, torchMs: t.ms, torchThreads: t.threads, gflop: t.gflop };
  });
  const peak = torch.matmul_peak_gflops;
  const backend = ours.backend!;
  const verdict = rows.every((r) => r.oursMs <= r.torchMs) ? 'met' : 'missed';
  const lines = [
    SECTION,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:model\` on bundle ` +
      `\`${path.relative(ROOT, bundle.dir)}\` (${ours.saes!.length} SAEs, n_ctx ${ours.nCtx}), random token ids after BOS.`,
    '',
    `- Ours: onnxruntime-web ${backend.name} in Debian chromium (headless), ${backend.threads} thread(s), ` +
      `crossOriginIsolated ${String(ours.crossOriginIsolated)}, ${ours.cores} logical cores; one model run fetching every ` +
      'hook the SAEs read, then every SAE encoder (`Engine.featureActsAll`). Median of ' +
      `${repeats} runs after warm-up.`,
    `- Reference: ${torch.reference} (OpenBLAS), same weights, same work (matching pursuit with its Gram matrix ` +
      'computed once, as ORT\'s constant folding does), median of 7 runs at the best of 1 and 2 threads.',
    `- Matmul peak: ${fmt(peak)} GFLOP/s (PyTorch 1024² fp32 matmul, best of 1 and 2 threads). GFLOP counts the ` +
      'model\'s matmuls and causal attention, and one d_in × d_sae matmul per SAE.',
    `- Machine: ${cpus().length} cores, 1-min load average ${fmt(loadBefore, 2)} before and ${fmt(loadAfter, 2)} after ` +
      '(other work on the machine shares these cores; figures above 1–2 mean both sides were slowed).',
    '',
    ...table(rows, peak),
    '',
    `Target ≤ 1.0× PyTorch: **${verdict}** in this run.`,
    '',
    ...rows.map(
      (r) =>
        `- ${r.tokens} tokens: the model run alone takes ${fmt(r.modelMs)} ms (${fmt(r.modelMs / r.torchMs, 2)}× PyTorch's ` +
        `whole step); the ${ours.saes!.length} SAE encoders, one ORT session each, take about ${fmt(r.oursMs - r.modelMs)} ms ` +
        '(ours − model alone, timed separately).',
    ),
    '',
  ];
  console.log(lines.join('\n'));
  updateDoc(lines.join('\n'));
  console.error(`[bench] wrote ${path.relative(ROOT, DOC)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
