/**
 * A Hugging Face GPT-2 given from disk (docs/GPT2.md, "From your disk"): the bundled model's
 * Hugging Face layout (models/<bundle>/hf/) picked as a folder in "Open a model" opens as it does
 * by URL — an SAE on it shows PyTorch's activations of the bundled model — and comes back after a
 * reload from this browser's storage (`?model=local:hf`), never fetched; forgetting it goes back to
 * the bundled model. A kept model whose storage is gone, files that hold no config.json, a config
 * of another architecture (dropped on the dialog) and weights of other shapes than the config says
 * (dropped on the page, which takes a folder with a config.json as a model) are each refused saying why.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { bundle, expectResultFor, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, screenshot, tokenValues } from './explorer';
import { bundleManifest, fixtureActs, pickSae, strongestPerToken } from './saeFormatFiles';

const RESID = pickSae('topk', (cfg) => String(cfg.hook_name).includes('hook_resid'));

/** PyTorch (fp32) against the engine in Chromium, as in the parity tests. */
async function expectFixture(values: Promise<number[]>, expected: number[], what: string): Promise<void> {
  const actual = await values;
  expect(actual, what).toHaveLength(expected.length);
  expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!))), `${what}: max |Δ| against PyTorch`).toBeLessThan(1e-4);
}

test('the same folder given from disk (picked, or dropped) opens as by URL, comes back after a reload from this browser’s storage, and can be forgotten; what is not a GPT-2 folder is refused saying why', async ({ page, baseURL }) => {
  const resid = await fixtureActs(RESID.id);
  const text = resid.text;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const dialog = page.getByTestId('model-dialog');
  const openDialog = async () => {
    await page.getByTestId('model-menu-button').click();
    await expect(dialog).toBeVisible();
  };

  // A kept model whose storage is gone says so, and offers the bundled model; nothing is downloaded for it.
  await openExplorer(page, { text, query: '?model=local:gone&backend=wasm' });
  const card = page.getByTestId('error-card');
  await expect(card).toContainText('“gone” is no longer kept in this browser', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(card.getByRole('button', { name: 'Open the bundled model' })).toBeVisible();
  // Loading again cannot bring back files that are gone: only the way out is offered.
  await expect(card.getByRole('button', { name: 'Load again' })).toHaveCount(0);
  await screenshot(page, 'gpt2-files-kept-gone');

  // Files that are not a model folder: the dialog says why, and stays open.
  await openDialog();
  await page.getByTestId('model-processing').getByLabel(/as saved/).check();
  await page.getByTestId('model-file-input').setInputFiles(['cfg.json', 'sae_weights.safetensors'].map((f) => path.join(bundle.dir, RESID.path, f)));
  await expect(dialog.getByTestId('error-card')).toContainText('None of the files you gave is a config.json (cfg.json, sae_weights.safetensors)');
  await screenshot(page, 'gpt2-files-not-a-model');
  // A config of another architecture, dropped: the engine refuses it on the load card.
  await page.getByTestId('model-dropzone').evaluate((zone) => {
    const data = new DataTransfer();
    data.items.add(new File([JSON.stringify({ model_type: 'llama' })], 'config.json'));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(card).toContainText(/could not be opened from the files you gave.*"llama"/s);
  await expect(card.getByRole('button', { name: 'Back to the model before' })).toBeVisible();
  await expect(promptInput(page)).toHaveValue(text);
  await screenshot(page, 'gpt2-files-llama');
  // Dropped anywhere on the page, a folder holding a config.json is a model, not an SAE: weights of other shapes than it says are refused naming a tensor.
  await page.locator('main').evaluate(async (main, folder) => {
    const config = (await (await fetch(`${folder}config.json`)).json()) as Record<string, unknown>;
    const data = new DataTransfer();
    data.items.add(new File([JSON.stringify({ ...config, n_embd: 512 })], 'config.json'));
    data.items.add(new File([await (await fetch(`${folder}model.safetensors`)).blob()], 'model.safetensors'));
    data.items.add(new File([await (await fetch(`${folder}tokenizer.json`)).blob()], 'tokenizer.json'));
    main.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, `${baseURL}models/${bundleManifest.name}/hf/`);
  await expect(card).toContainText(/model\.safetensors: tensor "transformer\.[^"]+" has shape \[\d+\], but config\.json implies \[512\]/);
  await expect(page.getByTestId('sae-import').getByTestId('error-card')).toHaveCount(0);

  // The folder, picked (from another view: the prompt view comes back): opened unprocessed, an SAE by URL shows PyTorch's activations of the bundled model.
  await page.evaluate(() => (window.location.hash = '#/saes'));
  await openDialog();
  await page.getByTestId('model-folder-input').setInputFiles(path.join(bundle.dir, 'hf'));
  await expect(page.getByTestId('sae-picker')).toContainText('none yet', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page.getByTestId('model-name')).toContainText('hf');
  expect(new URL(page.url()).search).toBe('?backend=wasm&model=local%3Ahf&processing=none');
  expect(new URL(page.url()).hash).toMatch(/^#\/(\?|$)/);
  await page.getByTestId('sae-url-input').fill(`${baseURL}models/${bundleManifest.name}/${RESID.path}/`);
  await page.getByTestId('sae-url-load').click();
  await expectResultFor(page, text, RESID.id);
  await expectFixture(tokenValues(page), strongestPerToken(resid), `${RESID.id} on the folder given from disk`);
  await screenshot(page, 'gpt2-files-opened');

  // After a reload, from this browser's storage: the same activations, and never a request for the folder's files.
  requests.length = 0;
  await page.reload();
  await expectResultFor(page, text, RESID.id);
  await expectFixture(tokenValues(page), strongestPerToken(resid), `${RESID.id} after a reload`);
  expect(requests.filter((u) => u.includes('/hf/') || u.includes('local-models'))).toEqual([]);

  // Forgetting the open model goes back to the bundled one.
  await openDialog();
  await expect(dialog.getByTestId('kept-model')).toContainText('open now');
  await screenshot(page, 'gpt2-files-kept');
  await dialog.getByTestId('kept-model-forget').click();
  await expect(page.getByTestId('model-name')).toContainText(bundleManifest.name, { timeout: MODEL_READY_TIMEOUT_MS });
  expect(new URL(page.url()).search).toBe('?backend=wasm');
  await openDialog();
  await expect(dialog.getByTestId('kept-model')).toHaveCount(0);
});
