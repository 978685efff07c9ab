/**
 * Embeds, cold (a fresh browser context: empty HTTP cache, no Cache API copies), on localhost:
 *  - a dashboard embed of precomputed panels (`?embed=true&panels=activations,logits,top`) until its
 *    panels show data, against the reference of the same panels on the full app's feature page
 *    (which starts the engine and downloads the model beside them), measured in the same run;
 *  - the example post (dist/blog-example.html, served from another origin by tools/blogHost.ts)
 *    until all four embeds show data (the two live ones: the model's activations);
 *  - the full app's prompt view (the default text) until its precomputed strip shows, and until the
 *    live activations replace it;
 *  - bytes transferred by each, page and workers, until the network has been quiet for a second,
 *    and the app JavaScript (gzipped, onnxruntime aside) the dashboard embed loads.
 *
 *   npx tsx bench/embed-load.ts [--runs N] [--reuse-dist]
 *
 * Rewrites the "Embeds: cold load" section of docs/BENCHMARKS.md.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { startBlogHost, SUB_PATH } from '../tools/blogHost';
import { median, option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { buildSite, freePort, ROOT, startPreview } from './previewServer';

const OUT_DIR = 'build/bench-embed';
const SECTION = '## Embeds: cold load';
const TARGET_MS = 1000;
const TIMEOUT_MS = 240_000;
const FEATURE = 'L2-resid-topk/726';
const DASHBOARD_READY = ['[data-testid=panel-activations] .histogram__bar', '[data-testid=logits-positive] li', '[data-testid=panel-top] [data-testid=context-strip]'];

interface Run {
  ms: number;
  bytes: number;
  requests: number;
  urls: string[];
}

/** Counts every response of the context (page, frames and workers) until `stop` is called. */
function countBytes(context: BrowserContext): { stop(): Promise<{ bytes: number; requests: number; urls: string[] }> } {
  let bytes = 0;
  let last = Date.now();
  const urls: string[] = [];
  context.on('requestfinished', (request) => {
    void request.sizes().then(
      (s) => {
        bytes += s.responseBodySize + s.responseHeadersSize;
        urls.push(request.url());
        last = Date.now();
      },
      () => {},
    );
  });
  return {
    async stop() {
      // Quiet for a second: what the view fetches after showing (the model, for the full app) counts too.
      while (Date.now() - last < 1000) await new Promise((r) => setTimeout(r, 200));
      return { bytes, requests: urls.length, urls };
    },
  };
}

async function timeUntil(page: Page, selectors: string[]): Promise<number> {
  const handle = await page.waitForFunction((sel) => (sel.every((s) => document.querySelector(s)) ? performance.now() : false), selectors, {
    polling: 'raf',
    timeout: TIMEOUT_MS,
  });
  return (await handle.jsonValue()) as number;
}

async function dashboard(browser: Browser, url: string): Promise<Run> {
  const context = await browser.newContext();
  try {
    const counter = countBytes(context);
    const page = await context.newPage();
    await page.goto(url);
    const ms = await timeUntil(page, DASHBOARD_READY);
    return { ms, ...(await counter.stop()) };
  } finally {
    await context.close();
  }
}

/** The full app's prompt view: when the precomputed strip first shows (the page's rAF watches for it), and when the live one does. */
async function promptView(browser: Browser, url: string): Promise<Run & { precomputedMs: number | null }> {
  const context = await browser.newContext();
  try {
    const counter = countBytes(context);
    const page = await context.newPage();
    // A string: tsx would wrap a named function of this file in a helper the page does not have.
    await page.addInitScript(`(() => {
      const look = () => {
        if (document.querySelector('[data-testid=result-precomputed] [data-testid=token]')) window.firstPrecomputed = performance.now();
        else if (!document.querySelector('[data-testid=result]')) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })();`);
    await page.goto(url);
    const ms = await timeUntil(page, ['[data-testid=result]:not(.stale) [data-testid=token]']);
    const precomputedMs = await page.evaluate(() => (window as unknown as { firstPrecomputed?: number }).firstPrecomputed ?? null);
    return { ms, precomputedMs, ...(await counter.stop()) };
  } finally {
    await context.close();
  }
}

/** The example post, every embed in view (a tall viewport: lazy frames load), until all four show data. */
async function blogPost(browser: Browser, url: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 6000 } });
  try {
    const counter = countBytes(context);
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(url);
    const frame = (id: string) => page.frameLocator(`[data-testid=${id}]`);
    await Promise.all([
      frame('embed-dashboard').locator('[data-testid=panel-top] [data-testid=context-strip]').first().waitFor({ timeout: TIMEOUT_MS }),
      frame('embed-driven').getByTestId('test-text-result').waitFor({ timeout: TIMEOUT_MS }),
      frame('embed-prompt').locator('[data-testid=result]:not(.stale) [data-testid=token]').first().waitFor({ timeout: TIMEOUT_MS }),
      frame('embed-heads').getByTestId('head-cell').first().waitFor({ timeout: TIMEOUT_MS }),
    ]);
    const ms = Date.now() - start;
    return { ms, ...(await counter.stop()) };
  } finally {
    await context.close();
  }
}

const mb = (b: number) => (b / 1e6).toFixed(2);

/** Gzipped size of the app's own scripts among `urls` (onnxruntime's chunks and wasm aside). */
function appJsGzip(urls: string[], port: number): number {
  const prefix = `http://127.0.0.1:${port}/`;
  const files = new Set(urls.filter((u) => u.startsWith(prefix) && u.endsWith('.js') && !/onnxruntime|ort[-.]/.test(u)).map((u) => u.slice(prefix.length)));
  let total = 0;
  for (const f of files) total += gzipSync(readFileSync(path.join(ROOT, OUT_DIR, f))).length;
  return total;
}

async function main(): Promise<void> {
  const runs = Math.max(3, Number(option('--runs') ?? 7));
  buildSite('app', OUT_DIR, ['index.html', 'blog-example.html', 'embed.js'], process.argv.includes('--reuse-dist'));
  const port = await freePort();
  const server = await startPreview('app', OUT_DIR, port, 'index.html');
  const app = `http://127.0.0.1:${port}/`;
  const blog = await startBlogHost(path.join(ROOT, OUT_DIR), app, await freePort());
  const embedRuns: Run[] = [];
  const fullRuns: Run[] = [];
  const blogRuns: Run[] = [];
  /** the same post served beside the app (one origin, no COOP/COEP): the embeds' storage is not third-party */
  const sameOriginRuns: Run[] = [];
  const promptRuns: (Run & { precomputedMs: number | null })[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      for (let r = 0; r < runs; r++) {
        // Alternate, so both meet the same load on a shared machine.
        embedRuns.push(await dashboard(browser, `${app}#/feature/${FEATURE}?embed=true&panels=activations,logits,top`));
        fullRuns.push(await dashboard(browser, `${app}#/feature/${FEATURE}`));
        console.error(`[bench] run ${r + 1}/${runs}: embed ${embedRuns.at(-1)!.ms.toFixed(0)} ms, ${mb(embedRuns.at(-1)!.bytes)} MB; full page ${fullRuns.at(-1)!.ms.toFixed(0)} ms, ${mb(fullRuns.at(-1)!.bytes)} MB`);
      }
      for (let r = 0; r < Math.min(3, runs); r++) {
        blogRuns.push(await blogPost(browser, `${blog.origin}/blog-example.html`));
        sameOriginRuns.push(await blogPost(browser, `${blog.origin}${SUB_PATH}blog-example.html`));
        console.error(`[bench] blog post ${r + 1}: ${blogRuns.at(-1)!.ms} ms, ${mb(blogRuns.at(-1)!.bytes)} MB; beside the app ${sameOriginRuns.at(-1)!.ms} ms, ${mb(sameOriginRuns.at(-1)!.bytes)} MB`);
      }
      for (let r = 0; r < Math.min(3, runs); r++) {
        promptRuns.push(await promptView(browser, `${app}#/`));
        console.error(`[bench] prompt view ${r + 1}: precomputed ${promptRuns.at(-1)!.precomputedMs?.toFixed(0) ?? 'never'} ms, live ${promptRuns.at(-1)!.ms.toFixed(0)} ms, ${mb(promptRuns.at(-1)!.bytes)} MB`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await blog.close();
    server.kill();
  }
  const loadAfter = loadavg()[0]!;
  const em = median(embedRuns.map((r) => r.ms));
  const fm = median(fullRuns.map((r) => r.ms));
  const bm = median(blogRuns.map((r) => r.ms));
  const bytes = (rs: Run[]) => median(rs.map((r) => r.bytes));
  const models = (rs: Run[]) => rs.every((r) => r.urls.some((u) => u.endsWith('.onnx')));
  const jsGz = appJsGzip(embedRuns[0]!.urls, port);
  const firstPaints = promptRuns.map((r) => r.precomputedMs ?? NaN);
  const lm = median(promptRuns.map((r) => r.ms));
  const loaded = loadBefore > 2 || loadAfter > 2;
  publishSection(SECTION, [
    SECTION,
    '',
    `Measured ${utcMinute()} by \`npx tsx bench/embed-load.ts\`: \`vite preview\` on localhost (cross-origin isolated), Debian chromium headless, ` +
      `each run in a fresh browser context (empty HTTP cache, no Cache API copies). Machine: ${cpus().length} cores, 1-min load average ` +
      `${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after${loaded ? ' — **measured on a loaded machine** (others\' builds, tests and benchmarks shared the cores): the times are upper bounds' : ''}.`,
    '',
    '| what | until | runs | median (ms) | fastest–slowest (ms) | transferred (MB, median) | model downloaded |',
    '|---|---|---:|---:|---:|---:|---|',
    `| dashboard embed, \`#/feature/${FEATURE}?embed=true&panels=activations,logits,top\` | histogram, logit effects and top examples drawn | ${runs} | **${em.toFixed(0)}** | ${Math.min(...embedRuns.map((r) => r.ms)).toFixed(0)}–${Math.max(...embedRuns.map((r) => r.ms)).toFixed(0)} | ${mb(bytes(embedRuns))} | ${models(embedRuns) ? 'yes' : 'no'} |`,
    `| reference: the same panels on the full app's page, \`#/feature/${FEATURE}\` | the same | ${runs} | ${fm.toFixed(0)} | ${Math.min(...fullRuns.map((r) => r.ms)).toFixed(0)}–${Math.max(...fullRuns.map((r) => r.ms)).toFixed(0)} | ${mb(bytes(fullRuns))} | ${models(fullRuns) ? 'yes' : 'no'} |`,
    `| dist/blog-example.html from another origin, four embeds | all four show data (two run the model) | ${blogRuns.length} | ${bm.toFixed(0)} | ${Math.min(...blogRuns.map((r) => r.ms))}–${Math.max(...blogRuns.map((r) => r.ms))} | ${mb(bytes(blogRuns))} | ${models(blogRuns) ? 'yes' : 'no'} |`,
    `| the same post beside the app on one origin, \`${SUB_PATH}blog-example.html\` (a plain server, no COOP/COEP) | the same | ${sameOriginRuns.length} | ${median(sameOriginRuns.map((r) => r.ms)).toFixed(0)} | ${Math.min(...sameOriginRuns.map((r) => r.ms))}–${Math.max(...sameOriginRuns.map((r) => r.ms))} | ${mb(bytes(sameOriginRuns))} | ${models(sameOriginRuns) ? 'yes' : 'no'} |`,
    `| the full app's prompt view, \`#/\` (the default text, no stored prompt) | the precomputed strip and feature list drawn | ${promptRuns.length} | ${median(firstPaints).toFixed(0)} | ${Math.min(...firstPaints).toFixed(0)}–${Math.max(...firstPaints).toFixed(0)} | (below) | |`,
    `| the same | live activations replace it | ${promptRuns.length} | ${lm.toFixed(0)} | ${Math.min(...promptRuns.map((r) => r.ms)).toFixed(0)}–${Math.max(...promptRuns.map((r) => r.ms)).toFixed(0)} | ${mb(bytes(promptRuns))} | ${models(promptRuns) ? 'yes' : 'no'} |`,
    '',
    `Embed / full page: **${(em / fm).toFixed(2)}×** the time, **${(bytes(embedRuns) / bytes(fullRuns)).toFixed(3)}×** the bytes. ` +
      `Target ≤ ${TARGET_MS} ms for the dashboard embed: **${em <= TARGET_MS ? 'met' : 'missed'}** in this run. ` +
      `App JavaScript the embed loads: ${(jsGz / 1024).toFixed(0)} kB gzipped (onnxruntime's chunks and wasm aside, none of which it loads). ` +
      'Bytes count every response (page, frames, workers) until the network has been quiet for a second; the blog post\'s two live ' +
      'embeds each run their own engine worker. From another origin (another site: localhost against 127.0.0.1) headless ' +
      'Chromium refuses the frames storage, so there each embed downloads the model itself; beside the app, the second waits ' +
      'for the first\'s download of each bundle file (a Web Lock per file) and takes its copy from the Cache API, so model.onnx ' +
      'and the weights come once, while onnxruntime\'s 14 MB wasm binary, which each worker fetches itself, still comes once per worker. ' +
      'The full app registers its offline service worker, whose precache of the app shell (about 0.9 MB) counts in its bytes. ' +
      'The prompt view draws the precomputed result of its default text (dashboards/prompt-preview.json) while the model loads; the live one replaces it where it stands.',
    '',
  ]);
}

runBenchmark(main);
