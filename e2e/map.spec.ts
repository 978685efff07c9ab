/**
 * Latent maps in a reader's browser: a bundled SAE's map opens from its precomputed coordinates,
 * hovering a latent shows what it is and clicking opens its dashboard; "Recompute" runs t-SNE live
 * with progress and Cancel; the reader's text lights its latents; a joint map colours by SAE.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodeLatentMap } from '../src/dashboardData/latentMap';
import { fitTransform } from '../src/components/scatter/scatterRaster';
import { bundle, openExplorer, screenshot } from './explorer';

const SAE = 'L2-resid-topk';
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
