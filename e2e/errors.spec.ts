import { expect, test } from '@playwright/test';
import { expectResultFor, manifest, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, screenshot } from './explorer';

test('a broken manifest shows an error card naming it, and keeps the typed text', async ({ page }) => {
  let broken = true;
  await page.route('**/manifest.json', (route) =>
    broken ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"format": "sae-explorer-bundle", ' }) : route.continue(),
  );
  await openExplorer(page, { text: '' });

  const card = page.getByTestId('error-card');
  await expect(card).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(card).toContainText('manifest.json');
  await expect(page.getByTestId('backend')).toContainText('not loaded');

  // The page stays usable: the reader can type, and the text stays.
  await promptInput(page).fill('Still here after the error.');
  await expect(promptInput(page)).toHaveValue('Still here after the error.');
  await screenshot(page, 'error-manifest');

  // Once the file is fixed, loading again works and picks up the text.
  broken = false;
  await card.getByRole('button', { name: 'Load again' }).click();
  await expectResultFor(page, 'Still here after the error.');
  await expect(promptInput(page)).toHaveValue('Still here after the error.');
});

test('a missing model file shows an error card naming the file', async ({ page }) => {
  await page.route(`**/${manifest.model.onnx}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await openExplorer(page, { text: 'The text is kept.' });
  const card = page.getByTestId('error-card');
  await expect(card).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(card).toContainText(manifest.model.onnx);
  await expect(promptInput(page)).toHaveValue('The text is kept.');
});

test('a broken SAE file shows an error card for that SAE without losing the prompt', async ({ page }) => {
  const [good, bad] = manifest.saes;
  test.skip(bad === undefined, 'the bundle has a single SAE');
  const weights = `**/${bad!.path}/sae_weights.safetensors`;
  await page.route(weights, (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('this is not a safetensors file') }),
  );
  const text = 'A prompt worth keeping.';
  await openExplorer(page, { text });
  await expectResultFor(page, text, good!.id);

  await page.getByTestId('sae-picker').selectOption(bad!.id);
  const card = page.getByTestId('error-card');
  await expect(card).toBeVisible();
  await expect(card).toContainText('sae_weights.safetensors');
  await expect(promptInput(page)).toHaveValue(text);
  await screenshot(page, 'error-sae');

  // Another SAE still works.
  await page.getByTestId('sae-picker').selectOption(good!.id);
  await expect(card).toBeHidden();
  await expectResultFor(page, text, good!.id);
});
