import { expect, test } from '@playwright/test';
import { expectResultFor, manifest, openExplorer, screenshot } from './explorer';
import { dropBundledSaeAsUser } from './saeFormatFiles';

const PROMPT = 'The cat sat on the mat because the cat was tired.';
/** the hook most of the bundle's SAEs read: the architectures to compare */
const hookCounts = new Map<string, number>();
for (const s of manifest.saes) hookCounts.set(s.hook_name, (hookCounts.get(s.hook_name) ?? 0) + 1);
const [sharedHook, sharedCount] = [...hookCounts.entries()].sort((a, b) => b[1] - a[1])[0]!;

test('every SAE’s quality side by side, the shared hook first; the picker and the feature index say it too', async ({ page }) => {
  await openExplorer(page, { text: PROMPT });
  await expectResultFor(page, PROMPT);
  await expect(page.getByTestId('sae-quality')).toContainText(/L0 \d+(\.\d)? · FVU 0\.\d+ · [\d.]+ % dead · CE recovered [\d.]+ %/);
  await page.getByTestId('sae-quality').getByRole('link', { name: 'compare SAEs' }).click();
  await expect(page).toHaveURL(/#\/saes$/);
  await expect(page).toHaveTitle('SAEs compared · SAE Explorer');
  const groups = page.getByTestId('saes-group');
  await expect(groups.first().locator('.saes-group')).toContainText(sharedHook);
  await expect(groups.first().getByTestId('saes-row')).toHaveCount(sharedCount);
  await expect(page.getByTestId('saes-row')).toHaveCount(manifest.saes.length);
  // Every bundled SAE has its CE recovered with an interval.
  for (const text of await page.getByTestId('ce-recovered').allTextContents()) expect(text).toMatch(/^\d+\.\d( \[\d+\.\d–\d+\.\d\])? %$/);
  await screenshot(page, 'saes-compared');

  await page.goto(`./#/features/${manifest.saes[0]!.id}`);
  await expect(page.getByTestId('features-quality')).toContainText('CE recovered');
});

test('the reader’s own SAE is measured on the held-out text here, with progress, next to the bundle’s', async ({ page }) => {
  const bundled = manifest.saes.find((s) => s.hook_name === sharedHook && s.id.endsWith('topk')) ?? manifest.saes[0]!;
  await openExplorer(page, { text: PROMPT });
  await expectResultFor(page, PROMPT);
  const mine = await dropBundledSaeAsUser(page, bundled.id);
  await expect(page.getByTestId('sae-quality')).toContainText('not measured yet');

  await page.goto('./#/saes');
  const row = page.locator(`[data-testid="saes-row"][data-sae="${mine}"]`);
  await row.getByTestId('measure-sae').click();
  await expect(row.getByRole('progressbar')).toBeVisible();
  await expect(row.getByTestId('ce-recovered')).toBeVisible({ timeout: 300_000 });
  await expect(row).toContainText('measured here on 64 sequences');
  // The same weights as the bundled SAE: a CE recovered near the bundle's figure for it.
  const ours = parseFloat((await row.getByTestId('ce-recovered').textContent())!);
  const theirs = parseFloat((await page.locator(`[data-testid="saes-row"][data-sae="${bundled.id}"]`).getByTestId('ce-recovered').textContent())!);
  expect(Math.abs(ours - theirs)).toBeLessThan(5);
  await screenshot(page, 'saes-measured');
});
