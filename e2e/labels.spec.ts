/**
 * Labels that do not mislead (issue 14): a heuristic label says what it is measured on, never calls
 * position 1 of a held-out window the start of a sequence, and never contradicts the "fires on"
 * column it sits beside. Read in the feature index of an attention SAE, whose position-1 features
 * the old labels called "first token of a sequence". No model needed.
 */
import { expect, test } from '@playwright/test';
import { screenshot } from './explorer';

test('heuristic labels name their evidence and agree with the “fires on” column', async ({ page }) => {
  await page.goto('./#/features/L0-attn-topk');
  const rows = page.getByTestId('feature-index-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });

  const search = page.getByTestId('feature-search');
  await search.fill('first token');
  await expect(page.getByText('No feature matches')).toBeVisible();
  await search.fill('right after BOS');
  await expect(rows.first()).toContainText('top 10: right after BOS (position 1)');
  await screenshot(page, 'labels-after-bos');

  // A label naming a token as the feature's own ("mostly …") names the first token it fires on.
  await search.fill('mostly');
  await expect(rows.first()).toBeVisible();
  const pairs = await rows.evaluateAll((els) =>
    els.slice(0, 60).map((el) => ({
      label: el.querySelector('.features-table__label a')?.textContent ?? '',
      firesOn: el.querySelector('.features-table__tokens code')?.textContent ?? '',
    })),
  );
  expect(pairs.length).toBeGreaterThan(10);
  for (const { label, firesOn } of pairs) expect(label).toMatch(new RegExp(`^mostly “${firesOn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/·/g, ' ')}”`));

  // Every other label says it reads the top examples, or how many sequences a dead feature was measured on.
  await search.fill('');
  const labels = await rows.evaluateAll((els) => els.map((el) => el.querySelector('.features-table__label a')?.textContent ?? ''));
  for (const label of labels) expect(label).toMatch(/^(mostly “|top \d+: |never fires in [\d,]+ held-out sequences$)/);
});
