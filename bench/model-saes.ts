/**
 * Model + every bundled SAE on one text, as the explorer computes it: onnxruntime-web wasm in
 * Debian's chromium against PyTorch CPU eager on the same weights (bench/torch_model_saes.py), in
 * the same run, one after the other so they never share the CPU.
 *
 *   npm run bench:model [-- --reuse-dist] [--rounds R] [--repeats N] [--lengths 128,1024] [--threads T] [--encoder auto|screened|dense]
 *
 * Builds the pages of tools/vite.config.ts into build/bench-dist/ (not dist/, which the e2e tests
 * build and serve in the same checkout; --reuse-dist keeps an earlier build), serves them with
 * `vite preview` (cross-origin isolated, so ORT gets its wasm threads), and alternates R rounds of
 * bench.html with R runs of the PyTorch script (never at the same time), so that load from other
 * work on a shared machine falls on both sides alike. Prints a table with the ratio ours / PyTorch
 * per length (medians over all runs of all rounds) and the fraction of the machine's measured
 * matmul peak each side reaches, and rewrites the "Model + SAEs" section of docs/BENCHMARKS.md.
 * --threads caps ORT's wasm threads (default: as the app, one per core up to 4).
 * SAE_BUNDLE_DIR picks the bundle (default models/explorer-4l).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { BenchLength, BenchReady } from '../tools/bench/main';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { resolveModelBundle } from '../tools/modelBundleDir';
import { buildSite, freePort, ROOT, startPreview } from './previewServer';
import { option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';

const PYTHON = '/usr/bin/python3';
const OUT_DIR = 'build/bench-dist';
const SECTION = '## Model + SAEs: onnxruntime-web wasm vs PyTorch';
const PAGE_TIMEOUT_MS = 20 * 60_000;

interface TorchLength {
  runs_by_threads: Record<string, number[]>;
  matmul_runs_by_threads: Record<string, number[]>;
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
  matmulMs: number;
  torchMatmul: { threads: number; ms: number };
}

/** The bench page, loaded and warmed up, ready for rounds. */
async function openBenchPage(port: number, lengths: number[], repeats: number) {
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const query = new URLSearchParams({ backend: 'wasm', lengths: lengths.join(','), repeats: String(repeats), driven: '1' });
  const threads = option('--threads');
  if (threads) query.set('threads', threads);
  const encoder = option('--encoder');
  if (encoder) query.set('encoder', encoder);
  await page.goto(`http://127.0.0.1:${port}/bench.html?${query}`);
  await page.waitForFunction(() => window.__benchReady !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
  const ready = (await page.evaluate(() => window.__benchReady))!;
  if ('error' in ready) {
    await browser.close();
    throw new Error(`bench.html failed: ${ready.error}${pageErrors.length ? `\n${pageErrors.join('\n')}` : ''}`);
  }
  return { ready, round: () => page.evaluate(() => window.__benchRound!()), close: () => browser.close() };
}

function runTorch(bundleDir: string, lengths: number[], repeats: number): TorchReport {
  const script = path.join(ROOT, 'bench/torch_model_saes.py');
  const r = spawnSync(PYTHON, [script, bundleDir, '--repeats', String(repeats), ...lengths.map(String)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as TorchReport;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** PyTorch's median ms at 1 and at 2 threads, over the runs of every round. */
function bestThreads(rounds: TorchReport[], tokens: number, key: 'runs_by_threads' | 'matmul_runs_by_threads') {
  return ['1', '2'].map((threads) => {
    const runs = rounds.flatMap((t) => t.lengths[String(tokens)]?.[key][threads] ?? []);
    if (!runs.length) throw new Error(`PyTorch reported no ${key} for ${tokens} tokens at ${threads} thread(s).`);
    return { threads: Number(threads), ms: median(runs) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
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

  const rounds = Math.max(1, Number(option('--rounds') ?? 3));

  buildSite('tools', OUT_DIR, ['bench.html', `models/${bundleName}/manifest.json`], process.argv.includes('--reuse-dist'));
  const loadBefore = loadavg()[0]!;
  const port = await freePort();
  const server = await startPreview('tools', OUT_DIR, port, 'bench.html');
  const oursRounds: BenchLength[][] = [];
  const torchRounds: TorchReport[] = [];
  let ready: BenchReady;
  try {
    const bench = await openBenchPage(port, lengths, repeats);
    ready = bench.ready;
    try {
      for (let r = 1; r <= rounds; r++) {
        console.error(`[bench] round ${r}/${rounds}: ours (${lengths.join(', ')} tokens, ${repeats} runs each)…`);
        oursRounds.push(await bench.round());
        console.error(`[bench] round ${r}/${rounds}: PyTorch…`);
        torchRounds.push(runTorch(bundle.dir, lengths, repeats));
      }
    } finally {
      await bench.close();
    }
  } finally {
    server.kill();
  }
  const loadAfter = loadavg()[0]!;
  const torch = torchRounds[0]!;

  const rows: Row[] = ready.lengths.map((tokens) => {
    const ours = oursRounds.flatMap((round) => round.filter((l) => l.tokens === tokens));
    const runsMs = ours.flatMap((l) => l.runsMs);
    const perThreads = bestThreads(torchRounds, tokens, 'runs_by_threads');
    const best = perThreads.reduce((a, b) => (b.ms < a.ms ? b : a));
    const torchMatmul = bestThreads(torchRounds, tokens, 'matmul_runs_by_threads').reduce((a, b) => (b.ms < a.ms ? b : a));
    console.error(`[bench] ${tokens} tokens: ours ${runsMs.map((x) => fmt(x)).join(', ')} ms; PyTorch ${perThreads.map((p) => `${fmt(p.ms)} ms at ${p.threads} thr`).join(', ')}`);
    return {
      tokens,
      oursMs: median(runsMs),
      oursMinMs: Math.min(...runsMs),
      modelMs: median(ours.flatMap((l) => l.modelRunsMs)),
      torchMs: best.ms,
      torchThreads: best.threads,
      gflop: torch.lengths[String(tokens)]!.gflop,
      matmulMs: median(ours.flatMap((l) => l.matmulRunsMs)),
      torchMatmul,
    };
  });
  const peak = Math.max(...torchRounds.map((t) => t.matmul_peak_gflops));
  const backend = ready.backend;
  const verdict = rows.every((r) => r.oursMs <= r.torchMs) ? 'met' : 'missed';
  const lines = [
    SECTION,
    '',
    `Measured ${utcMinute()} by \`npm run bench:model\` on bundle ` +
      `\`${path.relative(ROOT, bundle.dir)}\` (${ready.saes.length} SAEs, n_ctx ${ready.nCtx}), random token ids after BOS.`,
    '',
    `- Ours: onnxruntime-web ${backend.name} in Debian chromium (headless), ${backend.threads} thread(s), ` +
      `crossOriginIsolated ${String(ready.crossOriginIsolated)}, ${ready.cores} logical cores; one model run fetching every ` +
      `hook the SAEs read, then all SAE encoders in one session (\`Engine.featureActsAll\`), encoder path \`${ready.encoder}\`` +
      (ready.encoder === 'auto' ? ' (the default, which screens only SAEs with d_in·d_sae ≥ 4 M: none of this bundle\'s).' : '.'),
    `- Reference: ${torch.reference} (OpenBLAS), same weights, same work (matching pursuit with its Gram matrix ` +
      'computed once, as ORT\'s constant folding does), at the better of 1 and 2 threads.',
    `- Rounds: ${rounds}, alternating ours and PyTorch, ${repeats} timed runs per length per side per round after ` +
      'warm-up; figures are medians over all runs.',
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
        `whole step); the ${ready.saes.length} SAE encoders take about ${fmt(r.oursMs - r.modelMs)} ms ` +
        '(ours − model alone, timed separately).',
    ),
    '',
    `One encoder-shaped matmul alone, [tokens, ${ready.matmul.dIn}] × [${ready.matmul.dIn}, ${ready.matmul.dSae}] fp32 — the ` +
      'kernel that dominates both sides:',
    '',
    ...rows.map((r) => {
      const gflops = (ms: number) => fmt((2 * r.tokens * ready.matmul.dIn * ready.matmul.dSae) / (ms * 1e6));
      return (
        `- ${r.tokens} tokens: ours ${fmt(r.matmulMs, 2)} ms (${gflops(r.matmulMs)} GFLOP/s, ${backend.threads} thread(s)), ` +
        `PyTorch ${fmt(r.torchMatmul.ms, 2)} ms (${gflops(r.torchMatmul.ms)} GFLOP/s, ${r.torchMatmul.threads} thread(s)).`
      );
    }),
    '',
    'Both sides spend most of their time in fp32 matmuls like this one. WebAssembly SIMD multiplies 4 floats at a ' +
      'time without fused multiply-add, while OpenBLAS uses the CPU\'s own vector units (8-wide AVX2 FMA on x86-64), ' +
      'so where one core of PyTorch multiplies faster than all of ours, the whole step follows.',
    '',
  ];
  publishSection(SECTION, lines);
}

runBenchmark(main);
