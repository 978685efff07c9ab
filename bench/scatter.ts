/**
 * Rendering a latent map of 65,536 points while panning, measured in headless Chromium by the page
 * itself (tools/scatter-bench.html): the median work of a pan frame — the pointer event's handling
 * plus the frame's drawing — against the 16 ms of a 60 Hz frame.
 *
 *   npx tsx bench/scatter.ts [--reuse-dist] [--points 65536] [--frames 120]
 *
 * Builds the tool pages into build/bench-scatter/, serves them, runs the page and rewrites the
 * "Latent map rendering" section of docs/BENCHMARKS.md.
 */
import { cpus, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import type { ScatterBenchResult } from '../tools/bench/scatter';
import { option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { buildSite, freePort, startPreview } from './previewServer';

const OUT_DIR = 'build/bench-scatter';
const TARGET_MS = 16;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const percentile = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * p))]!;

runBenchmark(async () => {
  const points = Number(option('--points') ?? 65536);
  const frames = Number(option('--frames') ?? 120);
  buildSite('tools', OUT_DIR, ['scatter-bench.html'], process.argv.includes('--reuse-dist'));
  const port = await freePort();
  const server = await startPreview('tools', OUT_DIR, port, 'scatter-bench.html');
  const load = loadavg()[0]!;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/scatter-bench.html?points=${points}&frames=${frames}`);
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== '', null, { timeout: 300_000 });
    const result = JSON.parse((await page.locator('#result').textContent())!) as ScatterBenchResult;
    const work = median(result.workMs);
    publishSection('## Latent map rendering', [
      '## Latent map rendering',
      '',
      `\`npx tsx bench/scatter.ts\` · ${utcMinute()} · headless Chromium, ${cpus().length} cores · load average ${load.toFixed(2)}` +
        (load > 1 ? ' — **measured on a loaded machine**' : ''),
      '',
      `${result.points.toLocaleString('en')} points on a ${result.width} × ${result.height} canvas, panned by dragging for ${result.frames} frames, timed in the page (the pointer move's handling plus the frame's drawing, from the frame's start to its end): ` +
        `median **${work.toFixed(1)} ms** (95th percentile ${percentile(result.workMs, 0.95).toFixed(1)} ms) against the ${TARGET_MS} ms target — **${work <= TARGET_MS ? 'met' : 'missed'}**; ` +
        `median interval between frames ${median(result.intervalMs).toFixed(1)} ms.`,
    ]);
  } finally {
    await browser.close();
    server.kill();
  }
});
