import { expect, test, type Page } from '@playwright/test';
import { manifest, screenshot } from './explorer';
import { busiestFeature, dashboardsRoot, saeIndex } from './featureDashboards';

const sae = dashboardsRoot.saes[0]!.id;
const feature = busiestFeature(sae);

async function openFeature(page: Page, saeId: string, index: number | string): Promise<void> {
  await page.goto(`./#/feature/${saeId}/${index}`);
}

test('a feature page shows every panel with data', async ({ page }) => {
  await openFeature(page, sae, feature);
  const header = page.getByTestId('feature-header');
  await expect(header).toContainText(`Feature ${feature}`);
  await expect(header).toContainText(sae);
  await expect(page.getByTestId('feature-label')).not.toHaveText('…');
  await expect(page.getByTestId('stat-density')).toContainText('%');
  await expect(page.getByTestId('stat-max')).toContainText(/\d/);

  // Activations: a histogram with bars, and the tokens it fires on.
  const activations = page.getByTestId('panel-activations');
  expect(await activations.locator('.histogram__bar').count()).toBeGreaterThan(0);
  await expect(activations.getByTestId('top-tokens').locator('.token-chip').first()).toBeVisible();

  // Logit effects: promoted and suppressed tokens, and the histogram over the vocabulary.
  const logits = page.getByTestId('panel-logits');
  await expect(logits.getByTestId('logits-positive').locator('li')).toHaveCount(10);
  await expect(logits.getByTestId('logits-negative').locator('li')).toHaveCount(10);
  expect(await logits.locator('.histogram__bar').count()).toBeGreaterThan(3);

  // Neighbours and correlated features link to other feature pages.
  await expect(page.getByTestId('neighbours').locator('a').first()).toHaveAttribute('href', new RegExp(`#/feature/${sae}/\\d+`));
  await expect(page.getByTestId('correlated').locator('a').first()).toHaveAttribute('href', new RegExp(`#/feature/${sae}/\\d+`));

  // Examples: coloured contexts, peak first; hovering a token shows its activation.
  const top = page.getByTestId('panel-top');
  const rows = top.getByTestId('context-strip');
  expect(await rows.count()).toBeGreaterThan(0);
  const peak = rows.first().locator('.ctx__token--peak');
  const peakValue = Number(await peak.getAttribute('data-value'));
  expect(peakValue).toBeGreaterThan(0);
  await peak.hover();
  await expect(top.getByTestId('token-tooltip')).toBeVisible();
  await expect(top.getByTestId('token-tooltip')).toContainText(/\d/);
  expect(await page.getByTestId('panel-intervals').getByTestId('interval-group').count()).toBeGreaterThan(0);
  await screenshot(page, 'feature');
});

test('"test your text" runs the model live and colours the typed tokens by this feature', async ({ page }) => {
  await openFeature(page, sae, feature);
  const panel = page.getByTestId('panel-test');
  const input = panel.getByTestId('test-text-input');
  // It starts from the top example's sentence, where the feature fires.
  await expect(input).not.toHaveValue('');
  const summary = panel.getByTestId('test-text-summary');
  await expect(summary).toContainText('Peaks at', { timeout: 90_000 });

  const text = 'The ship sailed on, and the captain said nothing at all.';
  await input.fill(text);
  const strip = panel.getByTestId('token-strip');
  await expect
    .poll(async () => (await strip.getByTestId('token').evaluateAll((els) => els.map((e) => e.getAttribute('data-token') ?? ''))).join(''))
    .toBe(text);
  const values = await strip.getByTestId('token').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
  expect(values.every(Number.isFinite)).toBe(true);
  await expect(summary).toBeVisible();
  await screenshot(page, 'feature-test-text');
});

test('neighbours lead to their own pages, and the header steps through features', async ({ page }) => {
  await openFeature(page, sae, feature);
  const link = page.getByTestId('neighbours').locator('a').first();
  const href = (await link.getAttribute('href'))!;
  const target = Number(href.split('/').pop());
  await link.click();
  await expect(page.getByTestId('feature-header')).toContainText(`Feature ${target}`);
  await expect(page).toHaveURL(new RegExp(`#/feature/${sae}/${target}$`));
  await page.getByRole('link', { name: 'Next feature' }).click();
  await expect(page.getByTestId('feature-header')).toContainText(`Feature ${target + 1}`);
});

test('the feature index lists, searches and sorts the features, marking dead ones', async ({ page }) => {
  const index = saeIndex(sae);
  await page.goto(`./#/features/${sae}`);
  await expect(page.getByTestId('features-view')).toBeVisible();
  await expect(page.getByTestId('feature-count')).toContainText(`${index.sae.dSae.toLocaleString('en-US')} features`);
  const rows = page.getByTestId('feature-index-row');
  expect(await rows.count()).toBeGreaterThan(10);
  await screenshot(page, 'feature-index');

  // Search by one of the busiest feature's top tokens finds it (sorted busiest first, so that it is
  // on the first page even when a common token matches hundreds of features).
  const tokenId = index.features.topTokens[feature * 3]!;
  const token = dashboardsRoot.vocab[tokenId]!.trim();
  await page.getByTestId('feature-sort').selectOption('density-desc');
  await page.getByTestId('feature-search').fill(token);
  await expect(page.locator(`[data-testid=feature-index-row][data-index="${feature}"]`)).toBeVisible();
  await expect(page.getByTestId('feature-count')).toContainText('match');

  // By index.
  await page.getByTestId('feature-search').fill(`#${feature}`);
  await expect(rows).toHaveCount(1);
  await page.getByTestId('feature-search').fill('');

  // Sorted by density, the busiest feature comes first.
  await page.getByTestId('feature-sort').selectOption('density-desc');
  await expect(rows.first()).toHaveAttribute('data-index', String(feature));

  // Dead features are marked.
  const dead = index.features.nActive.findIndex((n) => n === 0);
  if (dead >= 0) {
    await page.getByRole('button', { name: 'dead' }).click();
    await expect(rows.first().locator('.badge--dead')).toBeVisible();
  }

  // A row leads to its feature page.
  await page.getByRole('button', { name: 'all' }).click();
  await page.getByTestId('feature-search').fill(`#${feature}`);
  await rows.first().getByRole('link').first().click();
  await expect(page.getByTestId('feature-header')).toContainText(`Feature ${feature}`);
});

test.describe('bad input shows a clear message and the rest of the app still works', () => {
  test('a feature index out of range', async ({ page }) => {
    const dSae = saeIndex(sae).sae.dSae;
    await openFeature(page, sae, dSae + 5);
    const card = page.getByTestId('error-card');
    await expect(card).toContainText(`Feature ${dSae + 5} does not exist`);
    await expect(card).toContainText(`0 to ${dSae - 1}`);
    await screenshot(page, 'feature-out-of-range');
    await page.getByRole('link', { name: 'Prompt' }).first().click();
    await expect(page.getByTestId('prompt-input')).toBeVisible();
    await openFeature(page, sae, feature);
    await expect(page.getByTestId('feature-header')).toContainText(`Feature ${feature}`);
  });

  test('an index that is not a number, and an SAE without dashboards', async ({ page }) => {
    await openFeature(page, sae, 'abc');
    await expect(page.getByTestId('error-card')).toContainText('“abc” is not a feature index');
    await openFeature(page, 'no-such-sae', 0);
    await expect(page.getByTestId('error-card')).toContainText('no dashboards for an SAE "no-such-sae"');
  });

  test('a missing shard', async ({ page }) => {
    const shard = saeIndex(sae).shards.find((s) => feature >= s.first && feature < s.first + s.count)!;
    await page.route(`**/dashboards/${sae}/${shard.path}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
    await openFeature(page, sae, feature);
    const card = page.getByTestId('error-card');
    await expect(card).toContainText(shard.path);
    await expect(card).toContainText('404');
    // Another SAE's pages still work.
    const other = dashboardsRoot.saes[1]?.id;
    if (other) {
      await openFeature(page, other, 0);
      await expect(page.getByTestId('feature-header')).toContainText('Feature 0');
    }
  });

  test('a corrupt shard', async ({ page }) => {
    const shard = saeIndex(sae).shards.find((s) => feature >= s.first && feature < s.first + s.count)!;
    let corrupt = true;
    await page.route(`**/dashboards/${sae}/${shard.path}`, async (route) => {
      if (!corrupt) return route.continue();
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      for (let i = 40; i < Math.min(body.length, 200); i++) body[i] = body[i]! ^ 0x5a;
      await route.fulfill({ response, body });
    });
    await openFeature(page, sae, feature);
    const card = page.getByTestId('error-card');
    await expect(card).toContainText(`${shard.path} is damaged`);
    await screenshot(page, 'feature-corrupt-shard');
    corrupt = false;
    await card.getByRole('button', { name: 'Load again' }).click();
    await expect(page.getByTestId('feature-header')).toContainText(`Feature ${feature}`);
    // The prompt view was never affected.
    await page.getByRole('link', { name: 'Prompt' }).first().click();
    await expect(page.getByTestId('prompt-input')).toBeVisible();
    expect(manifest.saes.length).toBeGreaterThan(0);
  });
});
