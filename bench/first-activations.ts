/**
 * Time to first activations: the prompt view (`#/`), opened cold in a fresh browser context, until
 * the token strip shows the default text's feature activations — the runtime, the model, the
 * tokenizer and the first SAE downloaded and run. Also what was downloaded by then (page and worker).
 * Each run then reloads the page in the same context (warm: the HTTP cache and the app's Cache API
 * copies of the runtime's wasm and the bundle's files kept, revalidated rather than downloaded) and
 * times it again; the table gives the warm time against the cold one, and each load step's time
 * (the runtime's start, the session build, the warm-up run: the page's `load: …` User Timing measures).
 *
 *   npm run bench:first-activations [-- --runs N] [--compare <bundle-dir>] [--reuse-dist]
 *
 * With --compare, a second bundle (e.g. the previous one, checked out into a folder) is built and
 * served beside the current one, and the runs alternate between the two, so that both are measured
 * under the same conditions. Rewrites the "Time to first activations" section of docs/BENCHMARKS.md.
 * SAE_BUNDLE_DIR picks the current bundle (default models/explorer-4l).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { resolveModelBundle } from '../tools/modelBundleDir';
import { median, option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { buildSite, freePort, ROOT, startPreview } from './previewServer';

const OUT_DIR = 'build/bench-first-activations';
const SECTION = '## Time to first activations';
const READY_TIMEOUT_MS = 180_000;
const FIRST_ACTIVATIONS = '[data-testid=result] [data-testid=token]';

interface Run {
  ms: number;
  /** each load step's duration, from the page's `load: <step>` measures */
  steps: Record<string, number>;
  /** bytes of every response by then, page and worker */
  bytes: number;
  /** bytes by kind of file */
  byKind: Record<string, number>;
}

interface Target {
  label: string;
  bundleDir: string;
  port: number;
  runs: Run[];
  warm: Run[];
}

const STEPS = ['runtime', 'session', 'warmup'];

function kindOf(url: string): string {
  if (/\.wasm(\?|$)/.test(url)) return 'onnxruntime wasm';
  if (/\/model\.onnx$/.test(url)) return 'model.onnx';
  if (/\/saes\//.test(url)) return 'SAE files';
  if (/\/tokenizer\.json$/.test(url)) return 'tokenizer.json';
  if (/\/dashboards\//.test(url)) return 'dashboards';
  return 'app and other';
}

/** The CPU's vector extensions: wasm SIMD speed differs between AVX2 and AVX-512 machines. */
function vectorExtensions(): string {
  const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/\b(avx512f|avx2)\b/g) ?? [];
  return [...new Set(flags)].sort().join(', ') || 'no AVX2';
}

/** A cold load in a fresh context, then a warm one: the same page reloaded. */
async function coldAndWarmRun(browser: Browser, url: string): Promise<{ cold: Run; warm: Run }> {
  const context = await browser.newContext();
  let byKind: Record<string, number> = {};
  let bytes = 0;
  let counting = true;
  // Worker fetches reach the context's events too; sizes come once each body has arrived.
  context.on('requestfinished', (request) => {
    void request.sizes().then(
      (s) => {
        if (!counting) return;
        const kind = kindOf(request.url());
        // A 304 (a kept copy revalidated) reports no body as -1.
        const body = Math.max(0, s.responseBodySize);
        byKind[kind] = (byKind[kind] ?? 0) + body;
        bytes += body;
      },
      () => {},
    );
  });
  const page = await context.newPage();
  const measure = async (): Promise<Run> => {
    const handle = await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : false), FIRST_ACTIVATIONS, {
      polling: 'raf',
      timeout: READY_TIMEOUT_MS,
    });
    const ms = (await handle.jsonValue()) as number;
    const steps = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('measure').filter((m) => m.name.startsWith('load: ')).map((m) => [m.name.slice(6), m.duration])),
    );
    await page.waitForTimeout(200); // the last responses' sizes
    const run = { ms, steps, bytes, byKind };
    byKind = {};
    bytes = 0;
    return run;
  };
  try {
    await page.goto(url);
    const cold = await measure();
    await page.reload();
    const warm = await measure();
    counting = false;
    return { cold, warm };
  } finally {
    await context.close();
  }
}

const mb = (b: number) => (b / 1e6).toFixed(2);

async function main(): Promise<void> {
  const runs = Math.max(3, Number(option('--runs') ?? 5));
  const current = resolveModelBundle(ROOT).dir;
  const compare = option('--compare');
  const bundles = [
    { label: 'current', dir: current },
    ...(compare ? [{ label: 'compared', dir: path.resolve(compare) }] : []),
  ];
  const targets: Target[] = [];
  const servers = [];
  try {
    for (const [i, b] of bundles.entries()) {
      const outDir = `${OUT_DIR}/${i}`;
      process.env.SAE_BUNDLE_DIR = path.relative(ROOT, b.dir);
      buildSite('app', outDir, ['index.html'], process.argv.includes('--reuse-dist'));
      const port = await freePort();
      servers.push(await startPreview('app', outDir, port, 'index.html'));
      targets.push({ label: b.label, bundleDir: b.dir, port, runs: [], warm: [] });
    }
    const loadBefore = loadavg()[0]!;
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      for (let r = 0; r < runs; r++) {
        for (const t of targets) {
          const { cold, warm } = await coldAndWarmRun(browser, `http://127.0.0.1:${t.port}/#/`);
          console.error(
            `[bench] ${t.label} run ${r + 1}/${runs}: cold ${cold.ms.toFixed(0)} ms, ${mb(cold.bytes)} MB; warm ${warm.ms.toFixed(0)} ms, ${mb(warm.bytes)} MB`,
          );
          t.runs.push(cold);
          t.warm.push(warm);
        }
      }
    } finally {
      await browser.close();
    }
    const loadAfter = loadavg()[0]!;
    const kinds = [...new Set(targets.flatMap((t) => t.runs.flatMap((r) => Object.keys(r.byKind))))].sort();
    const lines = [
      SECTION,
      '',
      `Measured ${utcMinute()} by \`npm run bench:first-activations\`: the prompt view (\`#/\`) opened cold in a fresh browser ` +
        'context (empty HTTP cache, no Cache API copies) from `vite preview` on localhost, Debian chromium headless, until the ' +
        'token strip shows the default text\'s activations (the page\'s `performance.now()` from navigation start). ' +
        `Downloads are every response body by then, the worker's included. ${runs} runs per bundle` +
        (targets.length > 1 ? ', alternating between the bundles.' : '.'),
      '',
      `- Machine: ${cpus().length} cores (${vectorExtensions()}), 1-min load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after` +
        (loadBefore > 1.5 || loadAfter > 1.5 ? ': measured on a loaded machine (other work shared these cores).' : '.'),
      '',
      `| bundle | median (ms) | fastest (ms) | downloaded (MB) | ${kinds.join(' | ')} |`,
      `|---|---:|---:|---:|${kinds.map(() => '---:').join('|')}|`,
      ...targets.map((t) => {
        const ms = t.runs.map((r) => r.ms);
        const typical = t.runs.reduce((best, r) => (Math.abs(r.ms - median(ms)) < Math.abs(best.ms - median(ms)) ? r : best));
        return (
          `| ${t.label}: \`${path.relative(ROOT, t.bundleDir)}\` | **${median(ms).toFixed(0)}** | ${Math.min(...ms).toFixed(0)} | ` +
          `${mb(typical.bytes)} | ${kinds.map((k) => mb(typical.byKind[k] ?? 0)).join(' | ')} |`
        );
      }),
      '',
      'Warm reload: each run then reloads the page in the same context (the HTTP cache, and the Cache API copies of onnxruntime\'s ' +
        'wasm and the bundle\'s files, which are revalidated, not downloaded again); steps are the page\'s `load: …` measures (medians).',
      '',
      `| bundle | cold (ms) | warm (ms) | warm / cold | warm downloaded (MB) | ${STEPS.map((s) => `${s} cold / warm (ms)`).join(' | ')} |`,
      `|---|---:|---:|---:|---:|${STEPS.map(() => '---:').join('|')}|`,
      ...targets.map((t) => {
        const [cold, warm] = [median(t.runs.map((r) => r.ms)), median(t.warm.map((r) => r.ms))];
        const step = (runs: Run[], s: string) => median(runs.map((r) => r.steps[s] ?? NaN)).toFixed(0);
        return (
          `| ${t.label} | ${cold.toFixed(0)} | **${warm.toFixed(0)}** | **${(warm / cold).toFixed(2)}** | ${mb(median(t.warm.map((r) => r.bytes)))} | ` +
          `${STEPS.map((s) => `${step(t.runs, s)} / ${step(t.warm, s)}`).join(' | ')} |`
        );
      }),
      '',
    ];
    publishSection(SECTION, lines);
  } finally {
    for (const s of servers) s.kill();
  }
}

runBenchmark(main);
