/**
 * Latent maps in a reader's browser: a bundled SAE's map opens from its precomputed coordinates,
 * hovering a latent shows what it is and clicking opens its dashboard; "Recompute" runs t-SNE live
 * with progress and Cancel; the reader's text lights its latents; a joint map colours by SAE.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodeLatentMap } from '../src/dashboardData/latentMap';
import { fitTransform } from '../src/components/scatter/scatterRaster';
import { bundle, manifest, MODEL_READY_TIMEOUT_MS, openExplorer, screenshot } from './explorer';
import { dropFiles, folderFiles, saveSaeLens } from './saeFormatFiles';

const SAE = 'L2-resid-topk';
const ATTN_SAE = 'L2-attn-topk';
/** The plot's padding and height (ScatterPlot's PAD and default height). */
const PAD = 16;
const HEIGHT = 520;

function bundledMap(saeId: string) {
  const dir = path.join(bundle.dir, 'dashboards', saeId);
  const head = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { map?: string };
  expect(head.map, `${saeId}'s index.json names its map`).toBe('map.bin');
  return decodeLatentMap(new Uint8Array(readFileSync(path.join(dir, head.map!))));
}

/** Where latent `i` of the precomputed map is drawn, in page coordinates (before any pan or zoom). */
async function pointOnScreen(page: Page, xy: Float32Array, i: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('scatter-canvas').boundingBox())!;
  const t = fitTransform(xy, box.width, HEIGHT, PAD);
  return { x: box.x + xy[2 * i]! * t.k + t.tx, y: box.y + xy[2 * i + 1]! * t.k + t.ty };
}

/** A latent far from its neighbours on the map, so the pointer finds it and no other. */
function isolatedLatent(xy: Float32Array): number {
  const n = xy.length / 2;
  let best = 0;
  let bestGap = -1;
  for (let i = 0; i < n; i += 7) {
    let nearest = Infinity;
    for (let j = 0; j < n; j++) if (j !== i) nearest = Math.min(nearest, (xy[2 * i]! - xy[2 * j]!) ** 2 + (xy[2 * i + 1]! - xy[2 * j + 1]!) ** 2);
    if (nearest > bestGap) [best, bestGap] = [i, nearest];
  }
  return best;
}

test('a bundled SAE’s map opens from its precomputed coordinates; hover names a latent, click opens its dashboard', async ({ page }) => {
  const map = bundledMap(SAE);
  await openExplorer(page);
  await page.goto(`./#/map/${SAE}`);
  await expect(page.getByTestId('map-origin')).toContainText('2,048 latents · precomputed with the bundle');
  await expect(page.getByTestId('map-origin')).toContainText(`KL ${map.kl.toFixed(3)}`);
  // Once the model is up the SAE picker and the reader's text settle the layout; then find the point.
  await expect(page.getByTestId('map-lit-count')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  const latent = isolatedLatent(map.xy);
  const at = await pointOnScreen(page, map.xy, latent);
  await page.mouse.move(at.x, at.y);
  const tip = page.getByTestId('scatter-tooltip');
  await expect(tip).toContainText(`#${latent}`);
  await expect(tip).toContainText('density');
  await expect(tip).toContainText('max');
  await screenshot(page, 'map-hover');

  await page.getByTestId('map-color-by').selectOption('maxAct');
  await page.getByTestId('map-color-by').selectOption('cluster');
  // Shift-drag a box around the latent: it is listed, with a link to its dashboard.
  await page.keyboard.down('Shift');
  await page.mouse.move(at.x - 12, at.y - 12);
  await page.mouse.down();
  await page.mouse.move(at.x + 12, at.y + 12, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const selected = page.getByTestId('map-selection');
  await expect(selected.getByRole('link', { name: `#${latent}`, exact: true })).toBeVisible();
  await screenshot(page, 'map-selection');

  await page.mouse.click(at.x, at.y);
  await expect(page).toHaveURL(new RegExp(`#/feature/${SAE}/${latent}$`));
  await expect(page.getByTestId('feature-header')).toBeVisible();
});

test('every bundled SAE’s map opens from the bundle; an attention SAE’s can be coloured by the head that writes each latent most', async ({ page }) => {
  await openExplorer(page);
  for (const sae of manifest.saes) {
    const map = bundledMap(sae.id);
    expect(map.n).toBe(sae.d_sae);
    await page.goto(`./#/map/${sae.id}`);
    await expect(page.getByTestId('map-origin')).toContainText(`${sae.d_sae.toLocaleString('en')} latents · precomputed with the bundle · KL ${map.kl.toFixed(3)}`);
  }
  // The feature index links to its SAE's map.
  await page.goto(`./#/features/${ATTN_SAE}`);
  await page.getByTestId('features-map-link').click();
  await expect(page).toHaveURL(new RegExp(`#/map/${ATTN_SAE}(\\?|$)`));
  await page.getByTestId('map-color-by').selectOption('head');
  await expect(page.getByRole('list', { name: 'Heads' }).getByRole('listitem')).toHaveCount(8);
  await expect(page.getByTestId('map-lit-count')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  await page.getByTestId('map-text-toggle').uncheck();
  await screenshot(page, 'map-heads');
});

test('Recompute runs t-SNE in the browser with progress; Cancel keeps the map; a bad perplexity is refused with a clear message', async ({ page }) => {
  await openExplorer(page);
  await page.goto(`./#/map/${SAE}`);
  const origin = page.getByTestId('map-origin');
  await expect(origin).toContainText('precomputed with the bundle');

  // Cancel part-way: the precomputed map comes back, and the page still answers.
  await page.getByTestId('map-recompute-button').click();
  const progress = page.getByTestId('map-progress');
  await expect(progress).toContainText(/iteration \d+ of 1000/, { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(origin).toContainText('computed in this browser');
  await screenshot(page, 'map-recompute-running');
  await page.getByTestId('map-cancel').click();
  await expect(page.getByTestId('map-cancelled')).toContainText('the map shown is the one from before');
  await expect(origin).toContainText('precomputed with the bundle');

  // A perplexity the SAE cannot support: said plainly, the map stays.
  await page.getByTestId('map-perplexity').fill('5000');
  await page.getByTestId('map-recompute-button').click();
  await expect(page.getByTestId('error-card')).toContainText('A perplexity of 5000 needs more than 5000 points, but the decoder of "L2-resid-topk" has 2048');
  await expect(origin).toContainText('precomputed with the bundle');

  // A short run to the end: its layout replaces the precomputed one, with its KL.
  await page.getByTestId('map-perplexity').fill('30');
  await page.getByLabel('Iterations').fill('300');
  await page.getByTestId('map-recompute-button').click();
  await expect(origin).toContainText(/computed in this browser · KL \d+\.\d{3}/, { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(progress).toHaveCount(0);
  await screenshot(page, 'map-recomputed');
});

test('the reader’s text lights its latents on the map; hovering a token lights its own', async ({ page }) => {
  await openExplorer(page, { text: 'The ship sailed out of the harbour at dawn.' });
  await page.goto(`./#/map/${SAE}`);
  const lit = page.getByTestId('map-lit-count');
  await expect(lit).toContainText(/\d+ latents lit across the text/, { timeout: MODEL_READY_TIMEOUT_MS });
  const across = Number((await lit.textContent())!.match(/(\d+) latents/)![1]);
  expect(across).toBeGreaterThan(32);
  await screenshot(page, 'map-reader-text');

  const token = page.getByTestId('map-text').getByTestId('token').filter({ hasText: 'ship' });
  await token.hover();
  await expect(lit).toContainText(/latents lit at “ ship”/);
  const atToken = Number((await lit.textContent())!.match(/(\d+) latents?/)![1]);
  expect(atToken).toBeGreaterThan(0);
  expect(atToken).toBeLessThan(across);
  await screenshot(page, 'map-token-hover');

  await page.getByTestId('map-text-toggle').uncheck();
  await expect(lit).toHaveCount(0);

  // On the prompt page, the map sits under the text: hovering a token there lights its latents.
  await page.goto('./#/');
  await page.getByTestId('sae-picker').selectOption(SAE);
  const promptLit = page.getByTestId('prompt-map-lit');
  await expect(promptLit).toContainText(`${across} latents lit across the text`);
  await page.getByTestId('result').getByTestId('token').filter({ hasText: 'ship' }).hover();
  await expect(promptLit).toContainText(`${atToken} latents lit at “ ship”`);
  await screenshot(page, 'prompt-map');
});

const JOINT_MAP_TIMEOUT_MS = 540_000;

test('the joint map of the L2 residual SAEs, coloured by SAE: a click lists the nearest latents of the other SAEs', async ({ page }) => {
  test.setTimeout(JOINT_MAP_TIMEOUT_MS + 120_000);
  await openExplorer(page);
  await page.goto(`./#/map/${SAE}`);
  await page.getByTestId('joint-map-link').click({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page).toHaveURL(/#\/joint-map\?saes=/);
  const legend = page.getByTestId('joint-legend').getByRole('listitem');
  await expect(legend).toHaveCount(6);
  // A short run keeps the test quick; the map animates while it forms.
  await page.getByLabel('Iterations').fill('300');
  await page.getByTestId('map-recompute-button').click();
  await expect(page.getByTestId('map-progress')).toBeVisible();
  const origin = page.getByTestId('map-origin');
  // 12,288 points: a minute or two on an idle machine, several when the cores are shared.
  await expect(origin).toContainText(/12,288 latents · computed in this browser · KL \d+\.\d{3}/, { timeout: JOINT_MAP_TIMEOUT_MS });

  const box = (await page.getByTestId('scatter-canvas').boundingBox())!;
  // Click near the middle: some latent is there on any layout of 12,288 points.
  for (const [dx, dy] of [[0, 0], [8, 0], [0, 8], [-8, 0], [0, -8]] as const) {
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + HEIGHT / 2 + dy);
    if (await page.getByTestId('joint-nearest').getByRole('link').count()) break;
  }
  const nearest = page.getByTestId('joint-nearest');
  await expect(nearest.getByText(/by decoder cosine/)).toBeVisible();
  await expect(nearest.locator('.joint-nearest__sae')).toHaveCount(5);
  await expect(nearest.getByText(/cos -?\d\.\d\d/).first()).toBeVisible();
  await screenshot(page, 'map-joint');
});

test('the token map places the reader’s tokens by their codes; hover shows a token in its context', async ({ page }) => {
  const text = 'The ship sailed out of the harbour at dawn, and the crew sang as the ship left the harbour.';
  await openExplorer(page, { text });
  await page.goto(`./#/map/${SAE}`);
  await page.getByTestId('token-map-link').click({ timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page).toHaveURL(new RegExp(`#/token-map/${SAE}(\\?|$)`));
  await page.getByTestId('map-recompute-button').click();
  const origin = page.getByTestId('map-origin');
  await expect(origin).toContainText(/\d+ tokens \(of \d+\) · perplexity \d+ · KL \d+\.\d{3}/, { timeout: MODEL_READY_TIMEOUT_MS });
  const box = (await page.getByTestId('scatter-canvas').boundingBox())!;
  const tip = page.getByTestId('scatter-tooltip');
  // The plot fits the layout to its box, so some token lies on the top padding line, or on the left one.
  for (let x = box.x + PAD; x < box.x + box.width - PAD && !(await tip.isVisible()); x += 6) await page.mouse.move(x, box.y + PAD);
  for (let y = box.y + PAD; y < box.y + HEIGHT - PAD && !(await tip.isVisible()); y += 6) await page.mouse.move(box.x + PAD, y);
  await expect(tip.getByTestId('token-map-context')).toContainText(/token \d+/);
  await page.getByTestId('token-map-color-by').selectOption('token');
  await screenshot(page, 'map-tokens');
});

test('the reader’s own SAE has no precomputed map: it is computed in the browser, as good as the one the bundle ships for the same weights', async ({ page }) => {
  const twin = 'L2-resid-standard';
  const folder = saveSaeLens(twin, path.join(mkdtempSync(path.join(tmpdir(), 'map-byo-')), twin));
  await openExplorer(page);
  await expect(page.getByTestId('sae-picker')).toBeEnabled({ timeout: MODEL_READY_TIMEOUT_MS });
  await dropFiles(page, folderFiles(folder));
  const mine = `saelens-${twin}`;
  await expect(page.getByTestId('user-sae')).toHaveCount(1, { timeout: MODEL_READY_TIMEOUT_MS });
  await page.goto(`./#/map/${mine}`);
  await expect(page.getByTestId('map-progress')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  const origin = page.getByTestId('map-origin');
  await expect(origin).toContainText(/2,048 latents · computed in this browser · KL \d+\.\d{3}/, { timeout: MODEL_READY_TIMEOUT_MS });
  // A reader's SAE reaches the engine by another loader than the bundle's: the layout need not be
  // bit-identical (t-SNE magnifies any rounding difference), but it must be as good — its KL within 5 %.
  const kl = Number((await origin.textContent())!.match(/KL (\d+\.\d+)/)![1]);
  expect(Math.abs(kl - bundledMap(twin).kl)).toBeLessThan(0.05 * bundledMap(twin).kl);
  // No summaries for the reader's SAE: it is coloured by the map's own clusters.
  await expect(page.getByTestId('map-color-by')).toHaveValue('cluster');
  await screenshot(page, 'map-own-sae');
});
