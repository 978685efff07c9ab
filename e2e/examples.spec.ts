/**
 * Panels thick enough to judge a feature (issue 14): the top examples page on ("show more" fetches
 * the SAE's examples shard only then), filter by the token they peak on, sort, and open each
 * example's whole text; the interval bands get more examples from the same fetch. A bundled SAE's
 * precomputed page: no model needed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { unpackJson } from '../src/dashboardData/packedJson';
import { bundle, manifest, screenshot } from './explorer';

const SAE = 'L2-resid-topk';

/** A feature that fires in many sequences, so every page of examples is full. */
async function busyFeature(): Promise<number> {
  const bytes = new Uint8Array(readFileSync(path.join(bundle.dir, 'dashboards', SAE, 'summary.bin')));
  const { nActive } = (await unpackJson(bytes, 'SAESUMM\0', 1)) as { nActive: number[] };
  return nActive.findIndex((n) => n > 2000 && n < 20000);
}

test('a feature’s examples page on, filter by token, sort, and open on their whole text', async ({ page }) => {
  const feature = await busyFeature();
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (/examples-\d+\.bin$/.test(r.url())) fetched.push(r.url());
  });
  // Held, the model shows "test your text" saying which stage it waits on (not "3 of 3 files").
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(`**/${manifest.model.onnx}`, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`./#/feature/${SAE}/${feature}`);
  await expect(page.getByTestId('test-loading')).toContainText(`Loading the model to run your text: Downloading ${manifest.model.onnx}`, { timeout: 60_000 });
  release();
  const top = page.getByTestId('panel-top');
  const rows = top.getByTestId('example-row');
  await expect(rows).toHaveCount(10, { timeout: 60_000 });
  expect(fetched).toEqual([]);

  // The first "show more" fetches the examples shard; the next pages come from it.
  await top.getByTestId('examples-more').click();
  await expect(rows).toHaveCount(20);
  expect(fetched).toHaveLength(1);
  await top.getByTestId('examples-more').click();
  await expect(rows).toHaveCount(30);
  await expect(top.getByTestId('top-examples-note')).toContainText(/^30 of 50 examples shown/);
  // The bands got more examples from the same fetch.
  await expect(page.getByTestId('interval-group').first()).toContainText(/\b(\d{2}) of /);
  expect(fetched).toHaveLength(1);

  // Filter by the token the first example peaks on: every row left peaks on it.
  const peak = ((await rows.first().locator('.ctx__peak').textContent()) ?? '').replace(/·/g, ' ').trim();
  await top.getByTestId('example-filter').fill(peak);
  const peaks = await rows.locator('.ctx__peak').allTextContents();
  expect(peaks.length).toBeGreaterThan(0);
  for (const p of peaks) expect(p.replace(/·/g, ' ').trim().toLowerCase()).toContain(peak.toLowerCase());
  await top.getByTestId('example-filter').fill('');

  // Sorted by place in the corpus, the sequences ascend.
  await top.getByTestId('example-sort').selectOption('position');
  const seqs = (await rows.locator('.ctx__source').allTextContents()).map((s) => Number(/seq (\d+)/.exec(s)![1]));
  expect(seqs).toEqual(seqs.slice().sort((a, b) => a - b));

  // The whole text of an example, the peak framed.
  await rows.first().getByTestId('example-expand').click();
  const context = top.getByTestId('example-context');
  await expect(context).toBeVisible();
  expect(await context.locator('.example-context__token').count()).toBe(127);
  await expect(context.locator('.example-context__token--peak')).toHaveCount(1);
  await screenshot(page, 'examples-more-context');
});
