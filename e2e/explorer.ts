/**
 * What the e2e tests share: where the served bundle is, and how a reader's actions and the page's
 * answers look in the DOM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { resolveModelBundle } from '../tools/modelBundleDir';

/** The bundle the build under test ships (SAE_BUNDLE_DIR, or the default). */
export const bundle = resolveModelBundle(path.resolve(import.meta.dirname, '..'));

export interface ManifestSae {
  id: string;
  path: string;
  title: string;
  hook_name: string;
  d_sae: number;
}

export const manifest = JSON.parse(readFileSync(path.join(bundle.dir, 'manifest.json'), 'utf8')) as {
  name: string;
  model: { n_ctx: number; onnx: string };
  saes: ManifestSae[];
};

export const SCREENSHOTS = `${process.env.E2E_RESULTS ?? 'test-results'}/screens`;

/**
 * Loading the model compiles onnxruntime's wasm in every fresh browser context: seconds on an idle
 * machine, minutes on two cores shared with a training run.
 */
export const MODEL_READY_TIMEOUT_MS = 240_000;

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Opens the explorer with an empty localStorage (or with `text` already typed in an earlier visit). */
export async function openExplorer(page: Page, opts: { text?: string; query?: string } = {}): Promise<void> {
  await page.addInitScript((text) => {
    if (sessionStorage.getItem('e2e-initialised')) return;
    sessionStorage.setItem('e2e-initialised', '1');
    localStorage.clear();
    if (text !== null) {
      localStorage.setItem('sae-explorer:prompt', JSON.stringify({ state: { text, saeId: null, colorFeature: null }, version: 1 }));
    }
  }, opts.text ?? null);
  await page.goto(`./${opts.query ?? ''}#/`);
}

export const promptInput = (page: Page): Locator => page.getByTestId('prompt-input');
export const tokens = (page: Page): Locator => page.getByTestId('token-strip').getByTestId('token');
export const result = (page: Page): Locator => page.getByTestId('result');

/** Waits until the strip shows `text` computed by SAE `saeId` (not a stale earlier result). */
export async function expectResultFor(page: Page, text: string, saeId?: string): Promise<void> {
  await expect(result(page)).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(result(page)).not.toHaveClass(/stale/);
  if (saeId !== undefined) await expect(result(page)).toHaveAttribute('data-sae', saeId);
  await expect.poll(async () => (await tokenTexts(page)).join('')).toBe(text);
}

/** The tokens' own strings (the strip draws whitespace visibly, so read the raw text kept beside). */
export async function tokenTexts(page: Page): Promise<string[]> {
  return tokens(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-token') ?? ''));
}

export async function tokenValues(page: Page): Promise<number[]> {
  return tokens(page).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
}
