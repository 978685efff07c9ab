/**
 * The demo's first impression: before the model has loaded, the prompt view already shows its
 * default text coloured, with its strongest features, from the bundle's precomputed preview
 * (dashboards/prompt-preview.json); the live result then takes its place with the same values, in
 * the same place.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_PROMPT } from '../src/state/promptStore';
import { expectResultFor, manifest, openExplorer, screenshot, tokens, tokenTexts, tokenValues } from './explorer';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What a reader sees of the result: the tokens and their values, the feature list, and where each piece sits. */
async function snapshot(page: Page) {
  const rows = page.getByTestId('features-panel').getByTestId('feature-row');
  const box = async (selector: string): Promise<Box> => (await page.locator(selector).first().boundingBox())!;
  return {
    tokens: await tokenTexts(page),
    values: await tokenValues(page),
    features: await rows.evaluateAll((els) => els.map((el) => el.querySelector('a')?.getAttribute('href'))),
    boxes: {
      toolbar: await box('.results .toolbar'),
      strip: await box('[data-testid=token-strip]'),
      lastToken: (await tokens(page).last().boundingBox())!,
      features: await box('[data-testid=features-panel]'),
      rows: await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box)),
    },
  };
}

test('while the model loads, the prompt view shows the precomputed result of its default text, then the live one in its place', async ({ page }) => {
  // The model is held back until the precomputed result has been looked at.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(`**/${manifest.model.onnx}`, async (route) => {
    await held;
    await route.continue();
  });
  await openExplorer(page);

  await expect(page.getByTestId('result-precomputed')).toBeVisible();
  await expect(page.getByTestId('precomputed-note')).toHaveText('precomputed · live model loading…');
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('sae-picker')).toBeDisabled();
  await expect(page.getByTestId('features-panel').getByTestId('feature-row').first()).toBeVisible();
  expect((await tokenTexts(page)).join('')).toBe(DEFAULT_PROMPT);
  const before = await snapshot(page);
  expect(before.values.filter((v) => v > 0).length).toBeGreaterThan(before.values.length / 2);
  await screenshot(page, 'prompt-precomputed');
  release();

  await expectResultFor(page, DEFAULT_PROMPT, manifest.saes[0]!.id);
  await expect(page.getByTestId('precomputed-note')).toHaveCount(0);
  await expect(page.getByTestId('sae-picker')).toBeEnabled();
  const after = await snapshot(page);
  await screenshot(page, 'prompt-live-after-precomputed');

  expect(after.tokens).toEqual(before.tokens);
  expect(after.features).toEqual(before.features);
  // The browser's engine (wasm threads here) gives the build's values to float rounding.
  after.values.forEach((v, i) => expect(Math.abs(v - before.values[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
  // Nothing moved: the strip, its last token, the feature list and each of its rows are where they were.
  expect(after.boxes).toEqual(before.boxes);
});
