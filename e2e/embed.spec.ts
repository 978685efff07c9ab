/**
 * Embeds as a blogger uses them: public/blog-example.html served from another origin than the app
 * (tools/blogHost.ts, on its own port, whose page points its iframes at the app's server), in
 * real Chromium. The frames draw their views without the app's chrome, size themselves, obey the
 * host page's messages, and ignore those of an origin their origins= does not list.
 */
import path from 'node:path';
import { expect, test, type Frame, type FrameLocator, type Page } from '@playwright/test';
import { startBlogHost, SUB_PATH, type BlogHost } from '../tools/blogHost';
import { MODEL_READY_TIMEOUT_MS, SCREENSHOTS, screenshot } from './explorer';

const APP_PORT = Number(process.env.E2E_PORT ?? 4319);
const APP = `http://localhost:${APP_PORT}/`;
/** E2E_PORT + 1 serves the tool pages (playwright.config.ts); the blog takes the next. */
const BLOG_PORT = APP_PORT + 2;
const BLOG = `http://127.0.0.1:${BLOG_PORT}`;
const DIST = path.resolve(import.meta.dirname, '..', process.env.E2E_DIST ?? 'dist');
const FEATURE = 726;

let blog: BlogHost;

test.beforeAll(async () => {
  blog = await startBlogHost(DIST, APP, BLOG_PORT);
});

test.afterAll(() => blog.close());

/** Console lines of every frame of the page, to read what an embed said when it ignored a message. */
function consoleLines(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m) => lines.push(m.text()));
  return lines;
}

/** The view inside `frame` drew its content at the height the frame was given: no inner scrollbar, no gap. */
async function expectSizedToContent(page: Page, testId: string, frame: FrameLocator): Promise<void> {
  const iframe = page.getByTestId(testId);
  await expect(iframe).toHaveAttribute('data-sae-explorer-height', /^\d+$/);
  // Chromium lays out a cross-origin frame out of view at its old size until it is scrolled to.
  await iframe.scrollIntoViewIfNeeded();
  // Polled together: a panel that grows in between is sized again a moment later.
  await expect
    .poll(async () => {
      const content = await frame.getByTestId('embed').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
      const box = await iframe.evaluate((el) => (el as HTMLIFrameElement).clientHeight);
      const scrolls = await frame.locator('html').evaluate((el) => el.scrollHeight > el.clientHeight + 1);
      return { gap: Math.abs(content - box) <= 1 ? 'none' : `${content - box}px`, scrolls };
    })
    .toEqual({ gap: 'none', scrolls: false });
}

async function expectNoChrome(frame: FrameLocator): Promise<void> {
  await expect(frame.getByTestId('embed')).toBeVisible();
  await expect(frame.locator('.app-header')).toHaveCount(0);
  await expect(frame.locator('.app-footer')).toHaveCount(0);
  const back = frame.getByTestId('embed-open');
  await expect(back).toHaveText(/Open in SAE Explorer/);
  await expect(back).not.toHaveAttribute('href', /embed=/);
}

function appFrame(page: Page, urlPart: string): Frame {
  const frame = page.frames().find((f) => f.url().includes(urlPart));
  if (!frame) throw new Error(`no frame at ${urlPart}`);
  return frame;
}

test('a blog post on another origin embeds four views that size themselves and obey its messages, and only its', async ({ page }) => {
  const lines = consoleLines(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BLOG}/blog-example.html`);
  expect(new URL(page.url()).origin).not.toBe(new URL(APP).origin);

  const dashboard = page.frameLocator('[data-testid=embed-dashboard]');
  await expectNoChrome(dashboard);
  await expect(dashboard.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
  await expect(dashboard.locator('[data-panel]')).toHaveCount(3);
  await expectSizedToContent(page, 'embed-dashboard', dashboard);

  const driven = page.frameLocator('[data-testid=embed-driven]');
  await expectNoChrome(driven);
  await expect(driven.getByTestId('test-text-input')).toHaveValue('Many nations signed the treaty.');
  await expect(driven.getByTestId('test-text-summary')).toContainText('Peaks at', { timeout: MODEL_READY_TIMEOUT_MS });
  await expectSizedToContent(page, 'embed-driven', driven);

  // The host sets the text, and reads back what the model computed for it.
  const sent = 'The nations of the world and other nations.';
  await page.locator('#host-text').fill(sent);
  await page.locator('#send-text').click();
  await expect(driven.getByTestId('test-text-input')).toHaveValue(sent);
  await expect(driven.getByTestId('test-text-result')).toBeVisible();
  await page.locator('#read-acts').click();
  const readout = page.getByTestId('readout');
  await expect(readout).toContainText('" nations"', { timeout: MODEL_READY_TIMEOUT_MS });
  const nations = (await readout.textContent())!.split('\n').filter((l) => l.startsWith('" nations"'));
  expect(nations).toHaveLength(2);
  for (const line of nations) expect(Number(line.split(' ').pop())).toBeGreaterThan(0);

  // Selecting another feature is another address in the same frame, still an embed.
  await page.evaluate(() => {
    const w = window as unknown as { SAEExplorer: { send(f: Element, t: string, m: object): void } };
    w.SAEExplorer.send(document.getElementById('driven')!, 'select', { feature: 408 });
  });
  await expect.poll(() => appFrame(page, 'panels=test').url()).toContain('#/feature/L2-resid-topk/408?');
  await expectNoChrome(driven);

  // Malformed messages are ignored with a word in the console, and the view goes on working.
  await page.evaluate(() => {
    const frame = (document.getElementById('driven') as HTMLIFrameElement).contentWindow!;
    for (const m of [null, 'hello', { type: 'sae-explorer:select', feature: 'x' }, { type: 'sae-explorer:nope' }, { type: 'sae-explorer:set-text', text: 7 }]) {
      frame.postMessage(m, '*');
    }
  });
  await expect.poll(() => lines.filter((l) => l.includes('SAE Explorer embed: ignored a message')).length).toBe(3);
  await page.locator('#host-text').fill('Nations again.');
  await page.locator('#send-text').click();
  await expect(driven.getByTestId('test-text-input')).toHaveValue('Nations again.');

  for (const id of ['embed-prompt', 'embed-heads']) {
    await page.getByTestId(id).scrollIntoViewIfNeeded();
    await expectNoChrome(page.frameLocator(`[data-testid=${id}]`));
  }
  const prompt = page.frameLocator('[data-testid=embed-prompt]');
  await expect(prompt.getByTestId('prompt-input')).toHaveValue('The nations of Europe met in Geneva.');
  await expect(prompt.getByTestId('result')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(prompt.getByTestId('result')).not.toHaveClass(/stale/);
  await expectSizedToContent(page, 'embed-prompt', prompt);
  const heads = page.frameLocator('[data-testid=embed-heads]');
  await expect(heads.getByTestId('head-cell').first()).toBeVisible();
  await expectSizedToContent(page, 'embed-heads', heads);
  // Headless Chromium paints other-origin frames only in view: each embed is shot in a viewport that holds it.
  await page.setViewportSize({ width: 1360, height: 2000 });
  for (const id of ['embed-dashboard', 'embed-driven', 'embed-prompt', 'embed-heads']) {
    const frame = page.getByTestId(id);
    await frame.scrollIntoViewIfNeeded();
    await frame.screenshot({ path: `${SCREENSHOTS}/blog-${id}.png` });
  }

  // A frame whose origins= names another page: this page's messages change nothing.
  await page.evaluate((app) => {
    const f = document.createElement('iframe');
    f.id = 'foreign';
    f.setAttribute('data-sae-explorer', '');
    f.src = `${app}index.html#/feature/L2-resid-topk/726?embed=true&panels=test&text=Untouched&origins=https://elsewhere.example`;
    document.querySelector('article')!.append(f);
  }, APP);
  await expect(page.locator('#foreign')).toHaveAttribute('data-sae-explorer-ready', '');
  const foreign = page.frameLocator('#foreign');
  await expect(foreign.getByTestId('test-text-input')).toHaveValue('Untouched');
  await page.evaluate(() => {
    const w = window as unknown as { SAEExplorer: { send(f: Element, t: string, m: object): void } };
    w.SAEExplorer.send(document.getElementById('foreign')!, 'set-text', { text: 'Hijacked' });
    w.SAEExplorer.send(document.getElementById('foreign')!, 'get-activations', { id: 'nope' });
  });
  await expect.poll(() => lines.filter((l) => l.includes(`from ${BLOG}, which this embed’s origins= does not list`)).length).toBe(2);
  await expect(foreign.getByTestId('test-text-input')).toHaveValue('Untouched');
  expect(errors).toEqual([]);
});

test('an embed of precomputed panels starts no worker and downloads no model; a live panel starts them on first use', async ({ page }) => {
  const requests: { url: string; bytes: number }[] = [];
  page.on('requestfinished', (r) => {
    void r.sizes().then((s) => requests.push({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize }));
  });
  const started = Date.now();
  await page.goto(`${APP}#/feature/L2-resid-topk/${FEATURE}?embed=true&panels=activations,logits,top`);
  await expect(page.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
  const shownMs = Date.now() - started;
  await page.waitForLoadState('networkidle');
  const kb = requests.reduce((s, r) => s + r.bytes, 0) / 1024;
  console.log(`dashboard embed: panels with data after ${shownMs} ms (loaded machine), ${kb.toFixed(0)} KiB over ${requests.length} requests`);
  expect(page.workers()).toHaveLength(0);
  expect(requests.filter((r) => /\.onnx|engine\.worker|ort.*\.wasm|\.safetensors/.test(r.url))).toEqual([]);
  await screenshot(page, 'embed-dashboard-alone');

  // The same feature with its test panel: the engine starts for it, loading the model.
  await page.goto(`${APP}#/feature/L2-resid-topk/${FEATURE}?embed=true&panels=test,logits&theme=dark&density=compact&text=Nations%20and%20nations.`);
  await page.reload();
  await expect(page.getByTestId('test-text-summary')).toContainText('Peaks at', { timeout: MODEL_READY_TIMEOUT_MS });
  expect(page.workers().length).toBeGreaterThan(0);
  expect(requests.some((r) => r.url.endsWith('.onnx'))).toBe(true);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'embed-dark-compact');
});

test('"Embed" on a view gives its iframe code, with the options chosen and a live preview', async ({ page }) => {
  await page.goto(`${APP}#/feature/L2-resid-topk/${FEATURE}`);
  await page.getByTestId('embed-code-button').click();
  const dialog = page.getByTestId('embed-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('embed-theme').selectOption('dark');
  await dialog.getByTestId('embed-density').selectOption('compact');
  const panels = dialog.getByTestId('embed-panels');
  for (const name of ['Activation distribution', 'Heads', 'Nearest features', 'Steer with this feature', 'Co-activating features', 'Test your text', 'Activation intervals']) {
    await panels.getByLabel(name).uncheck();
  }
  await dialog.getByTestId('embed-origins').fill('https://blog.example');
  const snippet = dialog.getByTestId('embed-snippet');
  await expect(snippet).toHaveValue(
    new RegExp(`^<iframe src="${APP.replace(/\//g, '\\/')}#\\/feature\\/L2-resid-topk\\/${FEATURE}\\?embed=true&amp;theme=dark&amp;density=compact&amp;origins=https%3A%2F%2Fblog\\.example&amp;panels=logits%2Ctop"`),
  );
  await expect(snippet).toHaveValue(new RegExp(`<script src="${APP}embed.js" async></script>$`));
  const preview = page.frameLocator('[data-testid=embed-preview]');
  await expect(preview.locator('[data-panel]')).toHaveCount(2);
  await expect(preview.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
  await expect(preview.locator('.app-header')).toHaveCount(0);
  await screenshot(page, 'embed-dialog');

  // Every view has it, and its embed draws the view without the app's chrome.
  await dialog.getByRole('button', { name: 'Close' }).click();
  for (const [hash, testId] of [
    ['#/features/L2-resid-topk', 'features-view'],
    ['#/saes', 'saes-view'],
    ['#/heads', 'heads-grid'],
    ['#/attention', 'attention-view'],
    ['#/map/L2-resid-topk', 'map-view'],
    ['#/steer', 'steer-prompt'],
    ['#/', 'prompt-input'],
  ] as const) {
    await page.goto(`${APP}${hash}`);
    await page.getByTestId('embed-code-button').click();
    const code = page.getByTestId('embed-snippet');
    // the view's own state (its text, its SAE) rides along in its address
    await expect(code).toHaveValue(new RegExp(`#${hash.slice(1).replace(/\//g, '\\/')}\\?([^"]+&amp;)?embed=true`));
    const src = /src="([^"]+)"/.exec(await code.inputValue())![1]!.replace(/&amp;/g, '&');
    await page.getByTestId('embed-dialog').getByRole('button', { name: 'Close' }).click();
    await page.goto(src);
    await expect(page.getByTestId(testId).first()).toBeVisible();
    await expect(page.locator('.app-header')).toHaveCount(0);
    await screenshot(page, `embed-view-${hash.split('/')[1] || 'prompt'}`);
  }
});

test('dist/ works from a sub-path of a plain static host, without cross-origin isolation: one wasm thread, said in the badge', async ({ page }) => {
  await page.goto(`${BLOG}${SUB_PATH}#/`);
  await expect(page.getByTestId('result')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page.getByTestId('backend')).toHaveText(/wasm · 1 thread$/);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.goto(`${BLOG}${SUB_PATH}#/feature/L2-resid-topk/${FEATURE}`);
  await expect(page.getByTestId('panel-top').locator('.ctx__token--peak').first()).toBeVisible();
  // The example post beside it, with its embeds on the same sub-path.
  await page.goto(`${BLOG}${SUB_PATH}blog-example.html`);
  await expect(page.frameLocator('[data-testid=embed-dashboard]').getByTestId('panel-top')).toBeVisible();
  await screenshot(page, 'embed-subpath-blog');
});
