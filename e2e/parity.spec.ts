/**
 * The model, every hook and every SAE, computed in Chromium by the engine, against the PyTorch
 * fixtures shipped in the bundle — on wasm and on WebGPU (SwiftShader here: correct but slow, so
 * it checks the shortest prompt only). The page is tools/parity.html, built and served apart from the
 * app (playwright.config.ts); it reports through window.__parity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseManifest } from '../src/engine/bundle/manifest';
import type { ParityReport } from '../tools/parity/main';
import { bundle } from './explorer';

const manifest = parseManifest(JSON.parse(readFileSync(path.join(bundle.dir, 'manifest.json'), 'utf8')));

/** Software WebGPU is slow: head attribution is checked there on the first attention SAE and the last residual TopK one. */
/** Screened against dense encoders on software WebGPU: one of each kind of screen (threshold, top-k, |top-k|). */
const SCREEN_ON_WEBGPU = ['L2-resid-jumprelu', 'L2-resid-topk', 'L2-resid-abstopk'].filter((id) => manifest.saes.some((s) => s.id === id));
/** Every bundled SAE screening covers (all but matching pursuit). */
const SCREENABLE = manifest.saes.filter((s) => s.architecture !== 'matching_pursuit').map((s) => s.id);
const DFA_ON_WEBGPU = [
  manifest.saes.find((s) => s.hook_name.endsWith('attn.hook_z'))!.id,
  manifest.saes.filter((s) => s.hook_name.includes('hook_resid') && s.architecture === 'topk').at(-1)!.id,
];

async function runParity(page: Page, query: string, timeout: number): Promise<ParityReport> {
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  await page.goto(`./parity.html?${query}`);
  await page.waitForFunction(() => window.__parity?.done === true, null, { timeout });
  const report = (await page.evaluate(() => window.__parity))!;
  expect(report.error, `parity.html failed on bundle ${bundle.dir}`).toBeUndefined();
  expect(consoleErrors).toEqual([]);
  const worst = (prefix: boolean) =>
    Math.max(0, ...report.rows!.filter((r) => r.name.startsWith('sae.') === prefix).map((r) => r.maxAbsDiff));
  console.log(
    `parity ${report.backend?.name} (${report.backend?.detail ?? report.backend?.fallbackReason ?? 'cpu'}, ${report.backend?.threads} threads): ${report.rows?.length} outputs in ` +
      `${report.seconds?.toFixed(1)} s; worst |Δ| hooks ${worst(false).toExponential(2)}, SAEs ${worst(true).toExponential(2)}`,
  );
  return report;
}

test('on wasm, every hook, the logits and every SAE match the PyTorch fixtures, and head attribution adds up', async ({ page }) => {
  const report = await runParity(page, 'backend=wasm', 100_000);
  expect(report.backend?.name).toBe('wasm');
  expect(report.rows!.length).toBeGreaterThan(0);
  expect(report.rows!.some((r) => r.name.startsWith('sae.'))).toBe(true);
  // head attribution adds up to the activations, for attention and residual SAEs
  expect(report.rows!.filter((r) => r.name.startsWith('dfa.') && r.name.includes('attn')).length).toBeGreaterThan(0);
  expect(report.rows!.filter((r) => r.name.startsWith('dfa.') && r.name.includes('resid')).length).toBeGreaterThan(0);
  // the screened encoders equal the dense ones, for every SAE screening covers, on every prompt
  expect([...new Set(report.rows!.filter((r) => r.name.startsWith('screen.')).map((r) => r.name))].sort()).toEqual(SCREENABLE.map((id) => `screen.${id}`).sort());
  expect(report.failures).toEqual([]);
});

test('on WebGPU, the shortest prompt matches the PyTorch fixtures, and head attribution adds up', async ({ page }) => {
  test.setTimeout(300_000);
  const report = await runParity(page, `backend=webgpu&prompts=shortest&dfa=${DFA_ON_WEBGPU.join(',')}&screen=${SCREEN_ON_WEBGPU.join(',')}`, 280_000);
  expect(report.backend?.name).toBe('webgpu');
  expect(report.rows!.filter((r) => r.name.startsWith('screen.')).map((r) => r.name)).toEqual(SCREEN_ON_WEBGPU.map((id) => `screen.${id}`));
  expect(report.rows!.some((r) => r.name.startsWith('sae.'))).toBe(true);
  expect(report.rows!.filter((r) => r.name.startsWith('dfa.')).map((r) => r.name)).toEqual(DFA_ON_WEBGPU.map((id) => `dfa.${id}`));
  expect(report.failures).toEqual([]);
});

test('a second visit takes the bundle from the Cache API after checking it is unchanged', async ({ page }) => {
  const first = await runParity(page, 'backend=wasm&prompts=0&saes=none&screen=none', 100_000);
  expect(first.failures).toEqual([]);
  const statusOf = (r: ParityReport, file: string) => r.files!.find((f) => f.file === file)?.status;
  expect(statusOf(first, 'manifest.json')).toMatch(/done|cached/);
  const second = await runParity(page, 'backend=wasm&prompts=0&saes=none&screen=none', 100_000);
  expect(second.failures).toEqual([]);
  for (const file of ['manifest.json', manifest.tokenizer, manifest.model.onnx]) {
    expect(statusOf(second, file), file).toBe('cached');
  }
});

test('"auto" takes WebGPU only on a hardware adapter, and says why when it stays on wasm', async ({ page }) => {
  const report = await runParity(page, 'backend=auto&prompts=0&saes=none', 100_000);
  expect(report.failures).toEqual([]);
  const backend = report.backend!;
  if (backend.name === 'webgpu') {
    expect(backend.detail).not.toMatch(/software/);
  } else {
    expect(backend.fallbackReason).toMatch(/WebGPU|adapter/);
  }
  // the preview server sends the cross-origin isolation headers, so wasm gets up to 4 threads
  expect(report.crossOriginIsolated).toBe(true);
  expect(backend.threads).toBe(Math.min(report.cores!, 4));
});
