import { expect, test } from '@playwright/test';
import { quotedToken } from '../src/components/tokens/tokenDisplay';
import {
  expectResultFor,
  manifest,
  MODEL_READY_TIMEOUT_MS,
  openExplorer,
  promptInput,
  result,
  screenshot,
  tokens,
  tokenTexts,
  tokenValues,
} from './explorer';

const TEXT = 'The old captain looked out over the sea, and the whale swam away.';

test('the page loads the bundle: a progress bar per file, then the model is ready', async ({ page }) => {
  // Hold the model file back a moment so the loading state is there to be seen.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(`**/${manifest.model.onnx}`, async (route) => {
    await held;
    await route.continue();
  });
  await openExplorer(page, { text: TEXT });

  const progress = page.getByTestId('load-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar').first()).toBeVisible();
  await expect(progress).toContainText('manifest.json');
  await expect(progress).toContainText(/\d+(\.\d)? (B|kB|MB)/);
  await expect(page.getByTestId('backend')).toContainText('starting');
  await screenshot(page, 'loading');
  release();

  await expect(progress).toBeHidden({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page.getByTestId('model-name')).toContainText(manifest.name);
  // This chromium runs without WebGPU: the app falls back to wasm with threads and says why on hover.
  await expect(page.getByTestId('backend')).toHaveText(/wasm · \d+ threads?/);
  await expect(page.getByTestId('backend')).toHaveAttribute('title', /WebGPU not used/);
  await expectResultFor(page, TEXT, manifest.saes[0]!.id);
  // COOP/COEP from the server make the page cross-origin isolated, so wasm may use threads.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('typing a prompt shows per-token activations', async ({ page }) => {
  await openExplorer(page, { text: '' });
  await expect(page.getByText('Type some text above')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await promptInput(page).fill(TEXT);
  await expectResultFor(page, TEXT);

  const values = await tokenValues(page);
  expect(values.length).toBeGreaterThan(5);
  expect(values.every(Number.isFinite)).toBe(true);
  expect(values.filter((v) => v !== 0).length).toBeGreaterThan(values.length / 2);
  expect(new Set(values).size).toBeGreaterThan(1);

  // Typing more updates the strip.
  await promptInput(page).press('End');
  await promptInput(page).pressSequentially(' It dived.');
  await expectResultFor(page, `${TEXT} It dived.`);

  // Hovering a token shows its text and value.
  const third = tokens(page).nth(2);
  await third.hover();
  const tooltip = page.getByTestId('token-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(quotedToken((await tokenTexts(page))[2]!));
  await expect(tooltip).toContainText(/\d/);
  await screenshot(page, 'prompt-hover');
});

test('clicking a token lists its top features, each linking to the feature page', async ({ page }) => {
  await openExplorer(page, { text: TEXT });
  await expectResultFor(page, TEXT);
  const saeId = (await result(page).getAttribute('data-sae'))!;

  const values = await tokenValues(page);
  const strongest = values.indexOf(Math.max(...values));
  const token = tokens(page).nth(strongest);
  await token.click();
  await expect(token).toHaveAttribute('aria-pressed', 'true');

  const panel = page.getByTestId('features-panel');
  await expect(panel.getByRole('heading')).toContainText(`Token ${strongest + 1}`);
  const rows = panel.getByTestId('feature-row');
  expect(await rows.count()).toBeGreaterThan(0);
  const hrefs = await rows.locator('.feature-row__link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const href of hrefs) expect(href).toMatch(new RegExp(`^#/feature/${encodeURIComponent(saeId)}/\\d+$`));
  // The strongest feature listed is the one that coloured the token.
  await expect(rows.first().locator('.feature-row__value')).toHaveText(
    await token.getAttribute('aria-label').then((l) => l!.split(' ').pop()!),
  );
  await screenshot(page, 'token-features');

  // Colouring by a listed feature recolours the strip.
  await rows.nth(Math.min(1, (await rows.count()) - 1)).getByRole('button', { name: /^Colour the text by feature/ }).click();
  await expect(page.getByTestId('color-by')).not.toHaveValue('');
  await expect(page.getByText(/coloured by feature #\d+/)).toBeVisible();
});

test('switching the SAE changes the strip', async ({ page }) => {
  const [first, second] = manifest.saes;
  test.skip(second === undefined, 'the bundle has a single SAE');
  await openExplorer(page, { text: TEXT });
  await expectResultFor(page, TEXT, first!.id);
  const before = await tokenValues(page);

  await page.getByTestId('sae-picker').selectOption(second!.id);
  await expectResultFor(page, TEXT, second!.id);
  const after = await tokenValues(page);
  expect(after).toHaveLength(before.length);
  expect(after).not.toEqual(before);
  await screenshot(page, 'switched-sae');
});

test("an SAE's weights download on its first use, with their progress beside the strip", async ({ page }) => {
  const later = manifest.saes.at(-1)!;
  test.skip(manifest.saes.length < 2, 'the bundle has a single SAE');
  // Hold the SAE's weights back a moment so that their download is there to be seen.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.route(`**/${later.path}/sae_weights.safetensors`, async (route) => {
    await held;
    await route.continue();
  });
  await openExplorer(page, { text: TEXT });
  await expectResultFor(page, TEXT, manifest.saes[0]!.id);
  // Only the SAE on screen was downloaded, none of the others.
  const saeFiles = requested.filter((p) => p.includes('/saes/') && p.endsWith('.safetensors'));
  expect(saeFiles).toEqual([expect.stringContaining(`/${manifest.saes[0]!.path}/`)]);

  await page.getByTestId('sae-picker').selectOption(later.id);
  await expect(page.getByRole('status', { name: 'Computing' })).toContainText('loading the SAE’s weights');
  await screenshot(page, 'sae-weights-downloading');
  release();
  await expectResultFor(page, TEXT, later.id);
  await expect(page.getByRole('status', { name: 'Computing' })).toHaveCount(0);
});

test('a text longer than the context shows the truncation notice', async ({ page }) => {
  const long = Array.from({ length: manifest.model.n_ctx }, (_, i) => `Sentence number ${i} goes here.`).join(' ');
  await openExplorer(page, { text: 'short' });
  await expectResultFor(page, 'short');
  await expect(page.getByTestId('truncation-notice')).toBeHidden();

  await promptInput(page).fill(long);
  const notice = page.getByTestId('truncation-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(String(manifest.model.n_ctx));
  await expect(result(page)).not.toHaveClass(/stale/);
  // BOS plus the text's first tokens fill the context exactly.
  expect(await tokens(page).count()).toBe(manifest.model.n_ctx - 1);
  expect(long.startsWith((await tokenTexts(page)).join(''))).toBe(true);
  await screenshot(page, 'truncated');
});

test('typed text survives a reload', async ({ page }) => {
  await openExplorer(page, { text: '' });
  await promptInput(page).fill('Nothing typed is lost.');
  await expectResultFor(page, 'Nothing typed is lost.');
  await page.reload();
  await expect(promptInput(page)).toHaveValue('Nothing typed is lost.');
  await expectResultFor(page, 'Nothing typed is lost.');
});

test('the strip is one tab stop walked with the arrow keys; Enter selects a token and Escape lets it go', async ({ page }) => {
  await openExplorer(page, { text: TEXT });
  await expectResultFor(page, TEXT);
  await expect(tokens(page).and(page.locator('[tabindex="0"]'))).toHaveCount(1);
  await tokens(page).first().focus();
  // Tab leaves the strip at once instead of walking every token, and Shift+Tab comes back to its stop.
  await page.keyboard.press('Tab');
  await expect(tokens(page).nth(1)).not.toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(tokens(page).first()).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tokens(page).nth(2)).toBeFocused();
  await page.keyboard.press('Enter');
  const heading = page.getByTestId('features-panel').getByRole('heading', { level: 2 });
  await expect(heading).toContainText('Token 3');
  await page.keyboard.press('End');
  await expect(tokens(page).last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(heading).toHaveText('Strongest features in this text');
});
