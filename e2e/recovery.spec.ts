/**
 * Recovery without a reload: every failure injected here (with request routing, or by stopping the
 * engine worker from the test) ends in a correct result or a clear message, and the page then works
 * again without a reload, with no uncaught error on the page or in the worker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectResultFor, manifest, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, result, screenshot, tokens, tokenTexts } from './explorer';
import { saveSaeLens } from './saeFormatFiles';

/** Uncaught errors of the page and of its workers, collected for the whole test. */
function collectUncaught(page: Page): string[] {
  const uncaught: string[] = [];
  page.on('pageerror', (err) => uncaught.push(`page: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /uncaught/i.test(msg.text())) uncaught.push(`console: ${msg.text()}`);
  });
  return uncaught;
}

/** Aborts every request of `pattern` until the returned `recover()` is called; counts the requests. */
async function failUntilRecovered(page: Page, pattern: string): Promise<{ recover(): void; requests(): number }> {
  let down = true;
  let seen = 0;
  await page.route(pattern, async (route) => {
    seen++;
    if (down) await route.abort('connectionreset');
    else await route.continue();
  });
  return { recover: () => (down = false), requests: () => seen };
}

const loadCard = (page: Page) => page.getByTestId('error-card');

test('clearing the text while a new SAE’s weights are slow never brings the old strip back', async ({ page }) => {
  const uncaught = collectUncaught(page);
  const [first, slow] = [manifest.saes[0]!, manifest.saes.at(-1)!];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(`**/${slow.path}/sae_weights.safetensors`, async (route) => {
    await held;
    await route.continue();
  });
  const text = 'A strip that must not come back.';
  await openExplorer(page, { text });
  await expectResultFor(page, text, first.id);

  await page.getByTestId('sae-picker').selectOption(slow.id);
  await expect(page.getByRole('status', { name: 'Computing' })).toContainText('loading the SAE’s weights');
  await promptInput(page).fill('');
  const hint = page.getByText('Type some text above');
  await expect(hint).toBeVisible();
  release();
  // The worker answers one analysis at a time, so once a feature page's "test your text" (another
  // lane of the same request) has its strip, the analysis of the old text has been answered too.
  // (Hash changes: the page is not reloaded, so the prompt's store lives on.)
  await page.evaluate((id) => (location.hash = `#/feature/${id}/0`), slow.id);
  await page.getByTestId('test-text-input').fill('Any words.');
  const testStrip = page.getByTestId('test-text-result').getByTestId('token');
  await expect
    .poll(() => testStrip.evaluateAll((els) => els.map((el) => el.getAttribute('data-token')).join('')), { timeout: MODEL_READY_TIMEOUT_MS })
    .toBe('Any words.');
  await page.evaluate(() => (location.hash = '#/'));
  await expect(promptInput(page)).toHaveValue('');
  await expect(hint).toBeVisible();
  await expect(result(page)).toHaveCount(0);

  await promptInput(page).fill('New words.');
  await expectResultFor(page, 'New words.', slow.id);
  expect(uncaught).toEqual([]);
});

test('a text over the storage quota is analysed, the reader is told it cannot all be kept, and a reload says what was kept', async ({ page }) => {
  const uncaught = collectUncaught(page);
  await openExplorer(page, { text: 'An older text.' });
  await expectResultFor(page, 'An older text.');

  const sentence = 'Paste after paste of the same long sentence. ';
  const huge = sentence.repeat(Math.ceil(6_000_000 / sentence.length));
  await promptInput(page).fill(huge);
  const notice = page.getByTestId('prompt-storage-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(huge.length.toLocaleString('en-US'));
  await expect(page.getByTestId('truncation-notice')).toBeVisible();
  await expect(result(page)).not.toHaveClass(/stale/);
  expect(huge.startsWith((await tokenTexts(page)).join(''))).toBe(true);
  await screenshot(page, 'recovery-quota');

  // After a reload the box holds the beginning that was kept, and says the rest was lost.
  await page.reload();
  await expect(notice).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(notice).toContainText(huge.length.toLocaleString('en-US'));
  const kept = await promptInput(page).inputValue();
  expect(kept.length).toBeGreaterThan(0);
  expect(huge.startsWith(kept)).toBe(true);
  await expect(page.getByTestId('truncation-notice')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await screenshot(page, 'recovery-quota-reloaded');

  // A text that fits is kept again, and the notice goes.
  await promptInput(page).fill('Short again.');
  await expectResultFor(page, 'Short again.');
  await expect(notice).toBeHidden();
  await page.reload();
  await expect(promptInput(page)).toHaveValue('Short again.');
  await expect(notice).toBeHidden();
  expect(uncaught).toEqual([]);
});

for (const { what, pattern, names } of [
  { what: 'onnxruntime’s wasm binary', pattern: '**/assets/ort-wasm-simd-threaded-*.wasm', names: /ort-wasm-simd-threaded.*\.wasm/ },
  { what: 'onnxruntime’s JS chunk', pattern: '**/assets/onnxruntime-web-*.js', names: /onnxruntime-web.*\.js/ },
  { what: 'the engine worker’s script', pattern: '**/assets/engine.worker-*.js', names: /engine\.worker.*\.js/ },
]) {
  test(`when ${what} fails to download, the card names it and “Load again” loads the model once the network is back`, async ({ page }) => {
    const uncaught = collectUncaught(page);
    const text = 'Loaded on the second try.';
    const network = await failUntilRecovered(page, pattern);
    await openExplorer(page, { text });
    const card = loadCard(page);
    await expect(card).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
    await expect(card.locator('.error-card__source')).toContainText(names);
    await expect(card).not.toContainText(manifest.model.onnx);
    await screenshot(page, `recovery-${pattern.split('/').pop()!.replace(/[-*.]+/g, '-')}`);
    const failed = network.requests();
    network.recover();
    await card.getByRole('button', { name: 'Load again' }).click();
    await expectResultFor(page, text);
    expect(network.requests()).toBeGreaterThan(failed);
    await expect(promptInput(page)).toHaveValue(text);
    expect(uncaught).toEqual([]);
  });
}

test('a truncated model file served with its real ETag is never kept, and a bad cached copy is evicted and fetched again', async ({ page }) => {
  const uncaught = collectUncaught(page);
  const text = 'Whole files only.';
  let cut = true;
  await page.route(`**/${manifest.model.onnx}`, async (route) => {
    if (!cut) return route.continue();
    const real = await route.fetch();
    const body = (await real.body()).subarray(0, 4_000_000);
    await route.fulfill({ status: 200, headers: { ...real.headers(), 'content-length': String(body.length) }, body });
  });
  await openExplorer(page, { text });
  const card = loadCard(page);
  await expect(card).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(card).toContainText(manifest.model.onnx);
  await expect(card).toContainText('4,000,000');
  await screenshot(page, 'recovery-truncated');

  // The server is whole again: the cut copy was not kept, so loading again fetches the whole file.
  cut = false;
  await card.getByRole('button', { name: 'Load again' }).click();
  await expectResultFor(page, text);

  // A cut copy already in the Cache API (kept by an older version of the app) is evicted when a
  // reload revalidates it (the server answers 304 to its ETag), and the whole file is fetched.
  const evicted = await page.evaluate(async (file) => {
    const cache = await caches.open('sae-explorer-bundles-v1');
    const key = (await cache.keys()).find((r) => r.url.endsWith(`/${file}`))!;
    const whole = (await cache.match(key))!;
    const bytes = new Uint8Array(await whole.arrayBuffer());
    await cache.put(key, new Response(bytes.slice(0, 1_000_000), { headers: whole.headers }));
    return key.url;
  }, manifest.model.onnx);
  const downloads: number[] = [];
  page.on('response', (r) => {
    if (r.url() === evicted) downloads.push(r.status());
  });
  await page.reload();
  await expectResultFor(page, text);
  expect(downloads).toEqual([304, 200]);
  expect(uncaught).toEqual([]);
});

test('an engine worker that stops answering is restarted, keeping the text and the reader’s SAE', async ({ page }) => {
  const uncaught = collectUncaught(page);
  const text = 'The engine comes back.';
  await openExplorer(page, { text });
  await expectResultFor(page, text);

  const folder = saveSaeLens(manifest.saes[0]!.id, path.join(mkdtempSync(path.join(tmpdir(), 'recovery-')), 'mine'));
  await page.getByTestId('sae-folder-input').setInputFiles(folder);
  const picker = page.getByTestId('sae-picker');
  await expect(picker).not.toHaveValue(manifest.saes[0]!.id);
  const mine = await picker.inputValue();
  await expectResultFor(page, text, mine);

  // Stop the worker the way a crash or the browser reclaiming it would: it just goes quiet.
  const engine = page.workers().find((w) => w.url().includes('engine.worker'))!;
  await engine.evaluate(() => self.close());
  await promptInput(page).fill('Typed while the engine was gone.');
  const notice = page.getByTestId('engine-restarted');
  await expect(notice).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await screenshot(page, 'recovery-worker-restarted');
  await expectResultFor(page, 'Typed while the engine was gone.', mine);
  await expect(picker).toHaveValue(mine);

  // And it goes on working.
  await promptInput(page).fill('Still answering.');
  await expectResultFor(page, 'Still answering.', mine);
  expect(uncaught).toEqual([]);
});

test('an engine worker that throws outside any request is replaced at once, and the reader told', async ({ page }) => {
  const uncaught = collectUncaught(page);
  const text = 'Still here after a crash.';
  await openExplorer(page, { text });
  await expectResultFor(page, text);

  const engine = page.workers().find((w) => w.url().includes('engine.worker'))!;
  await engine.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash in the engine worker');
    });
  });
  await expect(page.getByTestId('engine-restarted')).toContainText('simulated crash in the engine worker');
  await expectResultFor(page, text);
  await promptInput(page).fill('And after it.');
  await expectResultFor(page, 'And after it.');
  // The crash itself is the one uncaught error, and it is the test's.
  expect(uncaught.filter((u) => !u.includes('simulated crash'))).toEqual([]);
});

test('special tokens are marked, and byte tokens read the same in the strip and the features panel', async ({ page }) => {
  const uncaught = collectUncaught(page);
  const text = 'End here<|endoftext|>and a parrot 🦜 too.';
  await openExplorer(page, { text });
  // The strip spells the emoji's bytes (\xF0…), so it is not compared with the text as typed.
  await expect(result(page)).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(result(page)).not.toHaveClass(/stale/);
  await expect.poll(async () => (await tokenTexts(page)).join('')).toBe('End here<|endoftext|>and a parrot \\xF0\\x9F\\xA6\\x9C too.');

  const special = tokens(page).and(page.locator('[data-special="true"]'));
  await expect(special).toHaveCount(1);
  await expect(special).toHaveAttribute('data-token', '<|endoftext|>');
  await expect(special).toHaveAttribute('aria-label', /special token/);
  await special.hover();
  await expect(page.getByTestId('token-tooltip')).toContainText('special token');
  await expect(tokens(page).and(page.locator(':not([data-special="true"])'))).toHaveCount((await tokens(page).count()) - 1);

  // A token holding part of the emoji's bytes shows them as \xNN, in the strip and in the panel alike.
  const bytes = tokens(page).filter({ hasText: /\\x[0-9A-F]{2}/ }).first();
  const shown = (await bytes.textContent())!;
  expect(shown).not.toContain('\\\\');
  await bytes.click();
  const panel = page.getByTestId('features-panel');
  await expect(panel.locator('h2 .token-chip')).toHaveText(shown);
  await expect(panel).not.toContainText('\\\\');
  await page.getByRole('button', { name: 'whole text' }).click();
  await expect(panel).not.toContainText('\\\\');
  await special.click();
  await expect(panel.locator('h2 .token-chip')).toHaveText('<|endoftext|>');
  await expect(panel.locator('h2 .token-chip')).toHaveAttribute('data-special', 'true');
  await screenshot(page, 'recovery-special-tokens');
  expect(uncaught).toEqual([]);
});
