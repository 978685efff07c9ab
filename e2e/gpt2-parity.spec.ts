/**
 * The graph the engine builds from the bundle's Hugging Face layout, in Chromium, on wasm and on
 * WebGPU (SwiftShader here: the first prompt only): unprocessed it equals model.onnx on the logits and
 * every hook with deltas at every steering point, processed it equals PyTorch's processed hooks, all
 * within 1e-4 (tools/parity/hfParity.ts, run by parity.html?hf=1).
 */
import { expect, test, type Page } from '@playwright/test';
import type { HfParityReport } from '../tools/parity/hfMain';

async function runHfParity(page: Page, query: string, timeout: number): Promise<HfParityReport> {
  await page.goto(`./parity.html?hf=1&saes=none&dfa=none&${query}`);
  await page.waitForFunction(() => window.__hfParity?.done === true, null, { timeout });
  const report = (await page.evaluate(() => window.__hfParity))!;
  expect(report.error).toBeUndefined();
  const worst = (prefix: string) => Math.max(0, ...report.rows!.filter((r) => r.name.startsWith(prefix)).map((r) => r.maxAbsDiff));
  console.log(
    `Hugging Face layout on ${report.backend?.name}: ${report.rows?.length} outputs in ${report.seconds?.toFixed(1)} s; ` +
      `worst |Δ| against model.onnx ${worst('hf.').toExponential(2)}, against PyTorch processed ${worst('hf-processed.').toExponential(2)}`,
  );
  return report;
}

test('on wasm, the graph built from the Hugging Face layout equals model.onnx and PyTorch’s processed hooks', async ({ page }) => {
  const report = await runHfParity(page, 'backend=wasm', 200_000);
  expect(report.backend?.name).toBe('wasm');
  expect(report.rows!.filter((r) => r.name.startsWith('hf.')).length).toBeGreaterThan(25);
  expect(report.rows!.filter((r) => r.name.startsWith('hf-processed.')).length).toBeGreaterThan(25);
  expect(report.failures).toEqual([]);
});

test('on WebGPU, the same for the first prompt', async ({ page }) => {
  test.setTimeout(300_000);
  const report = await runHfParity(page, 'backend=webgpu&prompts=shortest', 280_000);
  expect(report.backend?.name).toBe('webgpu');
  expect(report.rows!.length).toBe(2 * 25);
  expect(report.failures).toEqual([]);
});
