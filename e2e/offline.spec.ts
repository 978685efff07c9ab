/**
 * The static demo offline: dist/ served from a sub-path of a plain static host (tools/blogHost.ts,
 * no COOP/COEP), visited once, then with the network cut and the host gone. The service worker
 * (src/offline/sw.ts) serves the app shell and the dashboards the reader used; the engine takes the
 * model, the SAE and onnxruntime's wasm from its own Cache API copies. Service workers are blocked in
 * the other specs (playwright.config.ts); these tests allow them.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { BUNDLE_PAGES_CACHE } from '../src/offline/offlineRoutes';
import { startBlogHost, SUB_PATH } from '../tools/blogHost';
import { MODEL_READY_TIMEOUT_MS, result, screenshot, tokenTexts } from './explorer';

test.use({ serviceWorkers: 'allow' });

const APP_PORT = Number(process.env.E2E_PORT ?? 4319);
const APP = `http://localhost:${APP_PORT}/`;
/** E2E_PORT + 1 serves the tool pages, + 2 the embed spec's blog: this host takes the next. */
const STATIC_PORT = APP_PORT + 3;
const DIST = path.resolve(import.meta.dirname, '..', process.env.E2E_DIST ?? 'dist');
const SAE = 'L2-resid-topk';
const FEATURE = 726;

async function controlledByServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
}

/** The paths the service worker keeps in its cache of the bundle files the page reads. */
function keptByServiceWorker(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), BUNDLE_PAGES_CACHE);
}

async function expectLivePrompt(page: Page): Promise<string[]> {
  await expect(result(page)).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(result(page)).not.toHaveAttribute('data-precomputed');
  await expect(result(page)).not.toHaveClass(/stale/);
  await expect(page.getByTestId('features-panel').getByTestId('feature-row').first()).toBeVisible();
  return tokenTexts(page);
}

test('after one visit the demo on a sub-path works offline: live activations, and a feature page with its panels', async ({ page, context }) => {
  const host = await startBlogHost(DIST, APP, STATIC_PORT);
  const site = `${host.origin}${SUB_PATH}`;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let online: string[];
  try {
    await page.goto(`${site}#/`);
    online = await expectLivePrompt(page);
    await expect(page.getByTestId('backend')).toHaveText(/wasm · 1 thread$/);
    await controlledByServiceWorker(page);
    // A feature page, as a reader goes on to one: its dashboard files are kept as they are used.
    await page.goto(`${site}#/feature/${SAE}/${FEATURE}`);
    await expect(page.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
    const dashboards = `${SUB_PATH}models/`;
    await expect
      .poll(() => keptByServiceWorker(page))
      .toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${dashboards}[^/]+/dashboards/index\\.json$`)), expect.stringMatching(new RegExp(`/dashboards/${SAE}/shard-\\d+\\.bin$`))]));
  } finally {
    await host.close();
  }
  await context.setOffline(true);

  await page.goto(`${site}#/`);
  await page.reload();
  expect(await expectLivePrompt(page)).toEqual(online);
  await expect(page.getByTestId('backend')).toHaveText(/wasm · 1 thread$/);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await screenshot(page, 'offline-prompt');
  await page.goto(`${site}#/feature/${SAE}/${FEATURE}`);
  for (const panel of ['panel-top', 'panel-logits', 'panel-activations']) await expect(page.getByTestId(panel)).toBeVisible();
  await expect(page.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
  await screenshot(page, 'offline-feature');

  // Each file is kept once: the worker keeps no model file, the engine's own cache has them.
  const kept = await keptByServiceWorker(page);
  expect(kept.filter((p) => /\.(onnx|safetensors|wasm)$|manifest\.json$/.test(p))).toEqual([]);
  const engineKept = await page.evaluate(async () => (await (await caches.open('sae-explorer-bundles-v1')).keys()).map((r) => r.url));
  expect(engineKept.some((u) => u.endsWith('.onnx'))).toBe(true);
  expect(errors).toEqual([]);
});

test('with COOP/COEP the page the service worker serves is still cross-origin isolated (wasm threads)', async ({ page }) => {
  await page.goto(`${APP}#/features/${SAE}`);
  await controlledByServiceWorker(page);
  await page.reload();
  await expect(page.getByTestId('features-view')).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null && crossOriginIsolated)).toBe(true);
});
