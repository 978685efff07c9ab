/**
 * Honest loading (issue 14): every stage of a load is named with its progress — onnxruntime's wasm
 * with its bytes, the bundle's files, the runtime's start, the session build, the warm-up — and a
 * reload finds the files kept from the first visit. And the small traps around a load: a forced
 * WebGPU without an adapter, an SAE dropped while the model loads.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type Route } from '@playwright/test';
import { expectResultFor, manifest, openExplorer, screenshot } from './explorer';
import { dropFiles, folderFiles, saveSaeLens } from './saeFormatFiles';

/** Holds every request for `file` until released, so the panel can be read mid-load. */
async function holdFile(page: Page, file: string): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(`**/${file}`, async (route: Route) => {
    await held;
    await route.continue();
  });
  return release;
}

const panel = (page: Page) => page.getByTestId('load-progress');
const runtimeRow = (page: Page) => panel(page).getByTestId('load-file').filter({ hasText: 'ort-wasm-simd-threaded' });

test('a cold load names every stage with its bytes, and a reload reuses the runtime and model kept from the first', async ({ page }) => {
  const text = 'Loading, honestly.';
  let release = await holdFile(page, manifest.model.onnx);
  await openExplorer(page, { text });

  // While model.onnx is held: the runtime arrived with its size, started (a time), and the steps after wait.
  await expect(runtimeRow(page)).toContainText(/the runtime\s*1\d\.\d MB$/, { timeout: 120_000 });
  await expect(panel(page).getByTestId('load-step-runtime')).toContainText(/\d+\.\d s/, { timeout: 120_000 });
  await expect(panel(page).getByTestId('load-step-session')).toContainText('waiting');
  await expect(panel(page).getByTestId('load-step-warmup')).toContainText('waiting');
  await expect(panel(page).getByTestId('load-headline')).toContainText(`Downloading ${manifest.model.onnx} · `);
  await screenshot(page, 'loading-cold-held');
  release();
  await expectResultFor(page, text);

  // A reload: the runtime's binary and the model come from this browser's copies (revalidated, not downloaded).
  await page.unroute(`**/${manifest.model.onnx}`);
  release = await holdFile(page, manifest.model.onnx);
  await page.reload();
  await expect(runtimeRow(page)).toContainText(/MB · cached$/, { timeout: 120_000 });
  await screenshot(page, 'loading-warm-held');
  release();
  await expectResultFor(page, text);
});

test('forcing WebGPU without an adapter offers wasm in one click; an SAE dropped during the load waits its turn and is added', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  const text = 'Switched to wasm.';
  // This project's Chromium has no WebGPU adapter (no --enable-unsafe-webgpu).
  await openExplorer(page, { text, query: '?backend=webgpu' });
  const card = page.getByTestId('error-card');
  await expect(card).toContainText('WebGPU was requested but cannot be used', { timeout: 120_000 });
  await screenshot(page, 'loading-webgpu-refused');

  const release = await holdFile(page, manifest.model.onnx);
  await card.getByRole('button', { name: 'Use wasm instead' }).click();
  await expect(panel(page)).toBeVisible();
  expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm');

  // Dropped while the model loads: listed as waiting, not thrown away.
  const sae = manifest.saes[0]!;
  await dropFiles(page, folderFiles(saveSaeLens(sae.id, path.join(mkdtempSync(path.join(tmpdir(), 'user-sae-')), 'mine'))));
  await expect(page.getByTestId('sae-queued')).toContainText('Waiting for the model to load, then adding: “cfg.json, sae_weights.safetensors”');
  await screenshot(page, 'loading-drop-queued');
  release();

  const picker = page.getByTestId('sae-picker');
  await expect.poll(() => picker.inputValue(), { timeout: 240_000 }).toMatch(/^saelens-/);
  await expect(page.getByTestId('sae-queued')).toBeHidden();
  await expect(page.getByTestId('backend')).toContainText('wasm');
  const userSae = await picker.inputValue();
  await expectResultFor(page, text, userSae);

  // The reader's SAE has a feature index too, and the index's switcher lists it.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Features' }).click();
  await expect(page.getByTestId('features-view-user')).toBeVisible();
  await expect(page.getByTestId('sae-switcher').locator('optgroup[label="Your SAEs"] option')).toHaveText([new RegExp(`^${userSae} — `)]);
  await page.getByTestId('corpus-compute').click();
  await expect(page.getByTestId('feature-index-row').first()).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('feature-count')).toContainText(`${sae.d_sae.toLocaleString('en-US')} features`);
  await screenshot(page, 'loading-user-sae-index');

  // Its live dashboards page on too: "show more" computes more examples in the worker, from the same pass.
  await page.getByTestId('feature-sort').selectOption('density-desc');
  await page.getByTestId('feature-index-row').first().locator('a').first().click();
  const examples = page.getByTestId('panel-top').getByTestId('example-row');
  await expect(examples).toHaveCount(10, { timeout: 120_000 });
  await page.getByTestId('panel-top').getByTestId('examples-more').click();
  await expect(examples).toHaveCount(20);

  // The reader's SAE has no precomputed labels: no label warning for it, nor anything else.
  expect(warnings.filter((w) => /label/i.test(w))).toEqual([]);
});
