import { expect, test } from '@playwright/test';
import { expectResultFor, manifest, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, screenshot, tokens } from './explorer';
import { dropBundledSaeAsUser } from './saeFormatFiles';

const attnSaes = manifest.saes.filter((s) => s.hook_name.endsWith('attn.hook_z'));
const layers = attnSaes.length;
const PROMPT = 'The cat sat on the mat because the cat was tired.';

test('the heads grid opens a head, which opens a feature whose heads panel and live DFA show who wrote it', async ({ page }) => {
  await page.goto('./#/heads');
  const grid = page.getByTestId('heads-grid');
  await expect(grid).toBeVisible();
  const cells = grid.getByTestId('head-cell');
  await expect(cells).toHaveCount(layers * 8);
  // Every head has a score: polysemanticity is ≥ 1 for a head that writes anything.
  const scores = (await cells.allTextContents()).map(Number);
  expect(scores.every((s) => s >= 1)).toBe(true);
  await expect(page.getByTestId('heads-summary')).toContainText(`${layers * 8} heads`);
  await expect(page).toHaveTitle('Attention heads · SAE Explorer');
  await screenshot(page, 'heads-grid');

  await grid.getByRole('link', { name: /^Head L1H3:/ }).click();
  await expect(page).toHaveURL(/#\/head\/1\/3$/);
  const head = page.getByTestId('head-view');
  await expect(head.getByRole('heading', { level: 1 })).toContainText('Head L1H3');
  await expect(page.getByTestId('head-score')).toContainText(/polysemanticity \d/);
  await expect(page.getByTestId('head-groups').locator('li').first()).toBeVisible();
  const rows = page.getByTestId('head-feature-row');
  expect(await rows.count()).toBeGreaterThan(3);
  // Each feature it writes comes with its top example, coloured, peak marked.
  await expect(rows.first().getByTestId('context-strip').locator('.ctx__token--peak')).toBeVisible();
  await screenshot(page, 'head-view');

  const featureLink = rows.first().getByRole('link').first();
  const feature = Number((await featureLink.textContent())!.replace('#', ''));
  await featureLink.click();
  await expect(page).toHaveURL(new RegExp(`#/feature/L1-attn-topk/${feature}$`));
  await expect(page).toHaveTitle(`Feature ${feature} · L1-attn-topk · SAE Explorer`);
  const panel = page.getByTestId('panel-heads');
  await expect(panel.getByTestId('head-bar-row')).toHaveCount(8);
  await expect(panel.getByRole('columnheader', { name: 'Encoder weights' })).toBeVisible();
  await expect(panel.getByRole('columnheader', { name: /Top \d+ activations/ })).toBeVisible();
  // The head the reader came from writes a part of this feature at its top activations.
  await expect(panel.getByRole('link', { name: 'L1H3' })).toHaveAttribute('href', '#/head/1/3');

  // "Test your text" starts from the top example, and splits the peak by head and source token.
  const test_ = page.getByTestId('test-text');
  const attribution = test_.getByTestId('attribution');
  await expect(attribution).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(test_.getByTestId('attribution-summary')).toContainText(`Feature ${feature} at token`);
  const sources = test_.getByTestId('dfa-sources').getByTestId('token');
  expect(await sources.count()).toBeGreaterThan(1);
  const allHeads = await sources.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
  expect(allHeads.some((v) => v !== 0)).toBe(true);
  // One head's sources are a part of all heads' sources.
  await test_.getByRole('button', { name: 'H3', exact: true }).click();
  await expect(test_.getByRole('button', { name: 'H3', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(async () => (await sources.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))))).join())
    .not.toBe(allHeads.join());
  await screenshot(page, 'feature-heads-panel');

  // Another destination token: click the first text token of the strip.
  await test_.getByTestId('test-text-result').getByTestId('token').first().click();
  await expect(test_.getByTestId('attribution-summary')).toContainText(/at token 1 /);
});

test('the attention viewer draws every head on the prompt, enlarges one and shows a destination’s weights', async ({ page }) => {
  await openExplorer(page, { text: PROMPT });
  await page.goto('./#/attention?layer=2&head=5');
  const view = page.getByTestId('attention-view');
  await expect(view.getByTestId('attention-input')).toHaveValue(PROMPT);
  await expect(view.getByTestId('attention-thumb')).toHaveCount(layers * 8, { timeout: MODEL_READY_TIMEOUT_MS });
  const large = view.getByTestId('attention-large');
  await expect(large.getByRole('heading')).toContainText('Head L2H5');
  const text = large.getByTestId('attention-text').locator('span');
  const n = await text.count();
  expect(n).toBeGreaterThan(5);
  // Hover the fourth token: it becomes the destination; its weights sum to 1 over the tokens up to it, the rest masked.
  await text.nth(3).hover();
  await expect(large.getByTestId('attention-dest')).toContainText('Destination token 3');
  const weights = await text.evaluateAll((els) => els.map((el) => el.getAttribute('data-weight')));
  expect(weights.slice(4).every((w) => w === null)).toBe(true);
  expect(weights.slice(0, 4).reduce((s, w) => s + Number(w), 0)).toBeCloseTo(1, 3);
  await screenshot(page, 'attention-view');

  // A thumbnail opens its head; the address keeps the choice.
  await view.getByTestId('attention-thumb').nth(8 + 1).click();
  await expect(page).toHaveURL(/#\/attention\?layer=1&head=1&text=/);
  await expect(large.getByRole('heading')).toContainText('Head L1H1');

  // Typing here is typing the prompt: the patterns follow the new text.
  await view.getByTestId('attention-input').fill('Hello world');
  await expect.poll(async () => (await text.allTextContents()).slice(1).join('')).toBe('Hello world');
});

test('the prompt view says which heads and earlier tokens wrote a feature on a clicked token', async ({ page }) => {
  await openExplorer(page, { text: PROMPT });
  await expectResultFor(page, PROMPT);
  await page.getByTestId('sae-picker').selectOption('L2-attn-topk');
  await expectResultFor(page, PROMPT, 'L2-attn-topk');
  await tokens(page).nth(9).click();
  const features = page.getByTestId('features-panel');
  await features.getByTestId('attribute-button').first().click();
  const attribution = features.getByTestId('attribution');
  await expect(attribution.getByTestId('attribution-summary')).toContainText('at token 10');
  await expect(attribution.getByTestId('head-bar-row')).toHaveCount(8);
  expect(await attribution.getByTestId('dfa-sources').getByTestId('token').count()).toBe(11);
  await screenshot(page, 'prompt-attribution');

  // A residual SAE: heads of the blocks before its hook, beside the MLPs and embeddings.
  await page.getByTestId('sae-picker').selectOption('L2-resid-topk');
  await expectResultFor(page, PROMPT, 'L2-resid-topk');
  // the token stays selected across SAEs
  await expect(features.getByRole('heading', { level: 2 })).toContainText('Token 10');
  await features.getByTestId('attribute-button').first().click();
  await expect(features.getByTestId('resid-attribution').locator('tbody tr')).toHaveCount(4);
  await expect(promptInput(page)).toHaveValue(PROMPT);
});

test('bad addresses and texts get a clear message and the app stays usable', async ({ page }) => {
  await page.goto('./#/head/9/0');
  await expect(page.getByTestId('error-card')).toContainText(/No attention SAE of this bundle reads block 9/);
  await page.goto('./#/head/1/99');
  await expect(page.getByTestId('error-card')).toContainText(/heads 0 to 7/);
  await page.goto('./#/heads');
  await expect(page.getByTestId('head-cell')).toHaveCount(layers * 8);
  // A panel list with a typo: the known panel shows, and the unknown name is said.
  await page.goto(`./#/feature/${attnSaes[0]!.id}/0?panels=heads,bogus`);
  await expect(page.getByTestId('unknown-panels')).toContainText('No panel is called “bogus”');
  await expect(page.getByTestId('panel-heads')).toBeVisible();
  await expect(page.locator('[data-panel]')).toHaveCount(1);
  await page.goto('./#/attention?layer=7&head=0');
  await page.getByTestId('attention-input').fill('Hi');
  await expect(page.getByTestId('attention-view')).toContainText(/The model has layers 0–3/, { timeout: MODEL_READY_TIMEOUT_MS });
});

test('the reader’s own attention SAE (SAELens hook_z files) gets the heads panel, live DFA and its own row of the heads grid', async ({ page }) => {
  const bundled = attnSaes[1] ?? attnSaes[0]!;
  const layer = Number(bundled.hook_name.split('.')[1]);
  await openExplorer(page, { text: PROMPT });
  await expectResultFor(page, PROMPT);
  const mine = await dropBundledSaeAsUser(page, bundled.id);
  await expectResultFor(page, PROMPT, mine);

  await page.getByTestId('features-panel').getByTestId('feature-row').first().locator('.feature-row__link').click();
  await expect(page.getByTestId('feature-view')).toHaveAttribute('data-live', 'true');
  const panel = page.getByTestId('panel-heads');
  await expect(panel.getByTestId('head-bar-row')).toHaveCount(8);
  await expect(panel).toContainText('Compute the corpus panels');
  await expect(panel.getByRole('link', { name: `L${layer}H0` })).toHaveAttribute('href', `#/head/${layer}/0?sae=${encodeURIComponent(mine)}`);
  await expect(page.getByTestId('test-text').getByTestId('attribution-summary')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });

  // Its corpus panels, computed here, bring the heads' shares at its top activations and score its heads.
  const sizes = page.getByTestId('corpus-size');
  await sizes.selectOption((await sizes.locator('option').first().getAttribute('value'))!);
  await page.getByTestId('corpus-compute').click();
  await expect(panel.getByRole('columnheader', { name: /Top \d+ activations/ })).toBeVisible({ timeout: 300_000 });

  await page.goto('./#/heads');
  const row = page.getByTestId('heads-grid').locator('tr', { hasText: mine });
  await expect(row.getByTestId('head-cell')).toHaveCount(8);
  await row.getByTestId('head-cell').nth(2).click();
  await expect(page).toHaveURL(new RegExp(`#/head/${layer}/2\\?sae=`));
  await expect(page.getByTestId('head-view')).toContainText(`Head L${layer}H2`);
  await expect(page.getByTestId('head-feature-row').first()).toBeVisible();
  await screenshot(page, 'user-sae-head-view');
});
