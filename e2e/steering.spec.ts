import { expect, test, type Page } from '@playwright/test';
import { expectResultFor, MODEL_READY_TIMEOUT_MS, openExplorer, screenshot } from './explorer';
import { busiestFeature, dashboardsRoot } from './featureDashboards';

/** Generated tokens shown in a continuation column. */
const count = (page: Page, branch: 'steered' | 'unsteered') => page.getByTestId(`continuation-${branch}`).getAttribute('data-tokens').then(Number);
const textOf = (page: Page, branch: 'steered' | 'unsteered') => page.getByTestId(`continuation-${branch}-text`).getAttribute('data-text');

async function openSteer(page: Page, query = ''): Promise<void> {
  await page.goto(`./#/steer${query}`);
  await expect(page.getByTestId('steer-generate')).toBeEnabled({ timeout: MODEL_READY_TIMEOUT_MS });
}

test('steering the default feature changes the continuation, side by side with the unsteered one', async ({ page }) => {
  await openSteer(page);
  await expect(page.getByTestId('steer-feature')).toHaveCount(1);
  await page.getByTestId('steer-maxTokens').fill('24');
  await page.getByTestId('steer-generate').click();
  const output = page.getByTestId('steer-output');
  await expect(output).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
  expect(await count(page, 'steered')).toBe(24);
  expect(await count(page, 'unsteered')).toBe(24);
  const [steered, unsteered] = [await textOf(page, 'steered'), await textOf(page, 'unsteered')];
  expect(steered).not.toBe(unsteered);
  // Each steered token is coloured by its log-probability difference against the unsteered model.
  const diffs = await page.getByTestId('continuation-steered').getByTestId('token').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
  expect(diffs.some((d) => d > 0)).toBe(true);
  // The experiment is in the address: reloading it gives the same settings back.
  expect(page.url()).toContain('steer=L2-resid-topk%3A1654%3A4%3Aadd%3Aall');
  expect(page.url()).toContain('n=24');
  await screenshot(page, 'steering-default');

  // Strength 0 steers nothing: the two continuations are the same text.
  await page.getByTestId('steer-strength').fill('0');
  await page.getByTestId('steer-generate').click();
  await expect(output).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
  expect(await textOf(page, 'steered')).toBe(await textOf(page, 'unsteered'));
});

test('Stop ends a long generation at once, keeps its tokens, and the page stays usable', async ({ page }) => {
  // A clamp re-runs the whole sequence every token (no cache), so 250 tokens take long enough to stop.
  await openSteer(page, '?text=The%20nation&steer=L2-resid-topk%3A1654%3A1%3Aclamp%3Agen&n=250&temp=1');
  await page.getByTestId('steer-generate').click();
  await expect.poll(() => count(page, 'steered'), { timeout: MODEL_READY_TIMEOUT_MS }).toBeGreaterThan(3);
  await page.getByTestId('steer-stop').click();
  await expect(page.getByTestId('steer-stopped')).toBeVisible({ timeout: 5_000 });
  const kept = await count(page, 'steered');
  expect(kept).toBeLessThan(250);
  await page.waitForTimeout(1_000);
  expect(await count(page, 'steered')).toBe(kept);
  await screenshot(page, 'steering-stopped');
  // The worker is free again: a new, short generation runs to its end.
  await page.getByTestId('steer-maxTokens').fill('4');
  await page.getByTestId('steer-generate').click();
  await expect(page.getByTestId('steer-output')).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
  expect(await count(page, 'steered')).toBe(4);
});

test('bad input gets a message, and a full context stops generation cleanly', async ({ page }) => {
  await openSteer(page);
  await page.getByTestId('steer-strength').fill('NaN');
  await expect(page.getByTestId('steer-problem')).toContainText('not a number');
  await expect(page.getByTestId('steer-generate')).toBeDisabled();
  await page.getByTestId('steer-strength').fill('1e9');
  await expect(page.getByTestId('steer-problem')).toContainText('too large');
  await page.getByTestId('steer-strength').fill('4');
  await page.getByTestId('steer-feature-index').fill('99999');
  await expect(page.getByTestId('steer-problem')).toContainText('0 to 2047');
  await page.getByTestId('steer-feature-index').fill('1654');
  await page.getByTestId('steer-prompt').fill('');
  await expect(page.getByTestId('steer-input-problem')).toContainText('Type a prompt');
  await expect(page.getByTestId('steer-generate')).toBeDisabled();

  // A prompt a few tokens short of the context: generation stops there, and says so.
  await page.getByTestId('steer-prompt').fill('the nation '.repeat(126));
  await page.getByTestId('steer-maxTokens').fill('50');
  await page.getByTestId('steer-generate').click();
  await expect(page.getByTestId('steer-output')).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page.getByTestId('continuation-steered')).toContainText("the model's context is full");
  expect(await count(page, 'steered')).toBeLessThan(50);

  // A prompt longer than the context: a clear message, the text kept.
  await page.getByTestId('steer-prompt').fill('the nation '.repeat(300));
  await page.getByTestId('steer-generate').click();
  await expect(page.getByTestId('steer-error')).toContainText('fills the model');
  await expect(page.getByTestId('steer-prompt')).toHaveValue('the nation '.repeat(300));
});

test('ablating a feature the prompt uses moves the next-token distribution and later features', async ({ page }) => {
  // Feature 408 of L2-resid-topk is the most active on the prompt's last token.
  await openSteer(page, '?text=The%20people%20of%20this%20country%20want&sae=L2-resid-topk&f=408&s=4');
  const panel = page.getByTestId('ablation-panel');
  await panel.getByTestId('ablate-run').click();
  await expect(panel.getByTestId('ablation-result')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  const acts = await panel.getByTestId('token').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
  expect(acts.at(-1)).toBeGreaterThan(0);
  const kl = Number(/KL ([\d.e+-]+)/.exec((await panel.getByTestId('ablation-kl').textContent()) ?? '')?.[1]);
  expect(kl).toBeGreaterThan(0);
  await expect(panel.getByTestId('ablation-up').locator('tr')).not.toHaveCount(0);
  await expect(panel.getByTestId('ablation-up')).toContainText('→');
  await expect(panel.getByTestId('ablation-downstream')).toContainText('L3-resid-topk');
  await expect(panel.getByTestId('ablation-downstream').locator('li').first()).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'steering-ablation');
});

test('splicing an SAE in shows each token’s reconstruction error and CE change, and CE recovered beside the bundle’s', async ({ page }) => {
  await openSteer(page, '?text=The%20Congress%20shall%20have%20power%20to%20lay%20and%20collect%20taxes%20on%20the%20people.');
  const panel = page.getByTestId('splice-panel');
  await panel.getByTestId('splice-sae').selectOption('L1-mlp-topk');
  await panel.getByTestId('splice-run').click();
  await expect(panel.getByTestId('splice-summary')).toContainText('% CE recovered', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(panel.getByTestId('splice-summary')).toContainText('held-out text');
  const errors = await panel.getByTestId('splice-errors').getByTestId('token').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
  expect(errors.length).toBeGreaterThan(5);
  expect(errors.every((e) => e > 0 && e < 1)).toBe(true);
  await expect(panel.getByTestId('splice-worst').locator('button').first()).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'steering-splice');
});

test('a feature dashboard links to steering with that feature, its strength in max activations', async ({ page }) => {
  const sae = dashboardsRoot.saes[0]!.id;
  const feature = busiestFeature(sae);
  await page.goto(`./#/feature/${sae}/${feature}`);
  const panel = page.getByTestId('steer-with-feature');
  await expect(panel).toContainText('max activation', { timeout: MODEL_READY_TIMEOUT_MS });
  await panel.getByLabel('Steering strength').fill('2');
  await page.getByTestId('steer-with-feature-link').click();
  await expect(page.getByTestId('steer-feature-index')).toHaveValue(String(feature));
  await expect(page.getByTestId('steer-feature').locator('select').first()).toHaveValue(sae);
  await expect(page.getByTestId('steer-strength')).toHaveValue('2');
  await expect(page.getByTestId('steer-feature')).toContainText('× max act');
  await expect(page.getByTestId('steer-generate')).toBeEnabled({ timeout: MODEL_READY_TIMEOUT_MS });
  await page.getByTestId('steer-generate').click();
  await expect(page.getByTestId('steer-output')).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
  await screenshot(page, 'steering-from-dashboard');
});

test('a feature of the prompt view steers a continuation of the prompt', async ({ page }) => {
  const text = 'The Congress of the United States';
  await openExplorer(page, { text });
  await expectResultFor(page, text);
  const row = page.getByTestId('feature-row').first();
  const feature = ((await row.locator('.feature-row__link').textContent()) ?? '').replace('#', '');
  await row.getByTestId('steer-link').click();
  await expect(page.getByTestId('steer-prompt')).toHaveValue(text);
  await expect(page.getByTestId('steer-feature-index')).toHaveValue(feature);
});
