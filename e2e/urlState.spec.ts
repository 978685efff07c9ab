/**
 * Every view's state in its address (issue 14): set it as a reader would, read the address, open it
 * in a fresh browser (nothing kept from before) and see the same thing on screen; Back and Forward
 * walk the reader's steps; a long text travels compressed; one over the limit is said to be.
 */
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { expectResultFor, manifest, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, screenshot, tokens } from './explorer';
import { busiestFeature } from './featureDashboards';

const SHORT = 'The king and the queen of the land.';
const SAE = 'L2-resid-topk';

/** A page in a browser context of its own: no storage, no history shared with the reader's. */
async function freshPage(browser: Browser, info: TestInfo, kept?: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: info.project.use.baseURL });
  const page = await context.newPage();
  if (kept !== undefined) {
    // This browser kept another text from an earlier visit: the link's must win.
    await page.addInitScript((text) => {
      if (!sessionStorage.getItem('kept')) {
        sessionStorage.setItem('kept', '1');
        localStorage.setItem('sae-explorer:prompt', JSON.stringify({ state: { text, saeId: 'L0-mlp-topk', colorFeature: 5 }, version: 1 }));
      }
    }, kept);
  }
  return page;
}

const hashOf = (page: Page) => page.evaluate(() => window.location.hash);
const query = async (page: Page) => new URLSearchParams((await hashOf(page)).split('?')[1] ?? '');
const selectedToken = (page: Page) => tokens(page).and(page.locator('[aria-pressed="true"]'));

/** English-like prose that does not repeat (a repeated sentence would compress to almost nothing). */
function prose(words: number, seed: number): string {
  const vocab = 'the a whale sea ship captain harpoon deck ocean white long ago money purse sail watery world and of to in king queen'.split(' ');
  let x = seed;
  return Array.from({ length: words }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return vocab[x % vocab.length]! + (x % 5 === 0 ? String(x % 977) : '');
  }).join(' ');
}

test('the prompt view’s text, SAE, token and colour travel in its link; Back and Forward walk the steps', async ({ page, browser }, info) => {
  await openExplorer(page, { text: SHORT });
  await expectResultFor(page, SHORT);
  // The address completes itself with what is on screen.
  await expect.poll(async () => (await query(page)).get('text')).toBe(SHORT);
  const firstSae = (await query(page)).get('sae');
  expect(firstSae).toBe(manifest.saes[0]!.id);

  // Steps: another SAE, a token, a colour; then a burst of typing.
  await page.getByTestId('sae-picker').selectOption(SAE);
  await expectResultFor(page, SHORT, SAE);
  await expect.poll(async () => (await query(page)).get('sae')).toBe(SAE);
  await expect(page).toHaveTitle(new RegExp(SAE));
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Features' })).toHaveAttribute('href', `#/features/${SAE}`);
  await tokens(page).nth(2).click();
  await expect.poll(async () => (await query(page)).get('token')).toBe('3');
  await page.getByTestId('color-by').fill('100');
  await page.getByTestId('color-by').press('Enter');
  await expect.poll(async () => (await query(page)).get('color')).toBe('100');
  await expect(page).toHaveTitle(/feature 100/);
  // Which heads wrote a feature on the token: a step too.
  const features = page.getByTestId('features-panel');
  await features.getByTestId('attribute-button').first().click();
  const attributed = (await query(page)).get('attr');
  expect(attributed).toMatch(/^\d+$/);
  await expect(features.getByTestId('attribution')).toBeVisible();
  const long = `${prose(900, 3)}.`;
  await promptInput(page).fill(long.slice(0, 2000));
  await promptInput(page).fill(long);
  await expect.poll(async () => (await query(page)).get('textz')).toMatch(/^[A-Za-z0-9_-]+$/);
  const hash = await hashOf(page);
  expect((await query(page)).get('text')).toBeNull();
  expect(hash.length).toBeLessThan(encodeURIComponent(long).length * 0.7);
  await screenshot(page, 'url-state-prompt');

  // Back: the typing was one step (not one per keystroke), then the split, the colour, the token, the SAE.
  await page.goBack();
  await expect(promptInput(page)).toHaveValue(SHORT);
  await expect(features.getByTestId('attribution')).toBeVisible();
  await page.goBack();
  await expect(features.getByTestId('attribution')).toHaveCount(0);
  await expect(page.getByTestId('color-by')).toHaveValue('100');
  await page.goBack();
  await expect(page.getByTestId('color-by')).toHaveValue('');
  await expect(selectedToken(page)).toHaveAttribute('data-index', '3');
  await page.goBack();
  await expect(selectedToken(page)).toHaveCount(0);
  await expect(page.getByTestId('sae-picker')).toHaveValue(SAE);
  await page.goBack();
  await expect(page.getByTestId('sae-picker')).toHaveValue(firstSae!);
  await expectResultFor(page, SHORT, firstSae!);
  // Forward again, to the end.
  for (let i = 0; i < 5; i++) await page.goForward();
  await expect(promptInput(page)).toHaveValue(long);
  await expect(page.getByTestId('sae-picker')).toHaveValue(SAE);
  expect(await hashOf(page)).toBe(hash);
  // The header's Features link opens this SAE's index; its Prompt link brings the prompt back as it was left.
  const nav = page.getByRole('navigation', { name: 'Views' });
  await nav.getByRole('link', { name: 'Features' }).click();
  await expect(page.getByTestId('sae-switcher')).toHaveValue(SAE);
  await nav.getByRole('link', { name: 'Prompt' }).click();
  await expect(selectedToken(page)).toHaveAttribute('data-index', '3');
  await expect.poll(() => hashOf(page)).toBe(hash);

  // The link in a fresh browser that kept another text: the link's state, whole.
  const other = await freshPage(browser, info, 'A text this browser kept.');
  await other.goto(`./${hash}`);
  await expect(promptInput(other)).toHaveValue(long);
  await expect(other.getByTestId('sae-picker')).toHaveValue(SAE, { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(other.getByTestId('color-by')).toHaveValue('100', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(selectedToken(other)).toHaveAttribute('data-index', '3', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(other.getByTestId('features-panel').getByRole('heading', { level: 2 })).toContainText('Token 3');
  await expect(other.getByTestId('features-panel').getByTestId('attribution')).toBeVisible();
  expect(await hashOf(other)).toBe(hash);
  await screenshot(other, 'url-state-prompt-opened');

  // Over the limit: the reader is told, the text stays, the address keeps the rest.
  const huge = prose(9000, 11);
  await promptInput(other).fill(huge);
  const notice = other.getByTestId('address-text-notice');
  await expect(notice).toContainText('too long for a link');
  await expect(notice).toContainText('8,000');
  await expect(promptInput(other)).toHaveValue(huge);
  const q = await query(other);
  expect(q.get('text') ?? q.get('textz')).toBeNull();
  expect(q.get('sae')).toBe(SAE);
  await screenshot(other, 'url-state-too-long');
  await other.context().close();
});

test('the feature index’s search, sort and filter, and the map’s colouring and boxed latents, travel in their links', async ({ page, browser }, info) => {
  // A damaged link: said, and the page goes on with the text this browser has.
  await page.goto(`./#/?sae=${SAE}&textz=not-deflate`);
  await expect(page.getByTestId('address-text-notice')).toContainText('could not be read');
  await expect(promptInput(page)).not.toHaveValue('');

  await page.goto(`./#/features/${SAE}`);
  await expect(page.getByTestId('features-table')).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`Features · ${SAE}`));
  await page.getByTestId('feature-search').pressSequentially('the');
  await page.getByTestId('feature-sort').selectOption('density-desc');
  await page.getByRole('group', { name: 'Which features' }).getByRole('button', { name: 'alive' }).click();
  await expect.poll(async () => Object.fromEntries(await query(page))).toEqual({ q: 'the', sort: 'density-desc', show: 'alive' });
  const count = await page.getByTestId('feature-count').textContent();
  const first = await page.getByTestId('feature-index-row').first().getAttribute('data-index');
  const hash = await hashOf(page);

  const other = await freshPage(browser, info);
  await other.goto(`./${hash}`);
  await expect(other.getByTestId('feature-search')).toHaveValue('the');
  await expect(other.getByTestId('feature-sort')).toHaveValue('density-desc');
  await expect(other.getByRole('button', { name: 'alive' })).toHaveAttribute('aria-pressed', 'true');
  await expect(other.getByTestId('feature-count')).toHaveText(count!);
  await expect(other.getByTestId('feature-index-row').first()).toHaveAttribute('data-index', first!);
  await screenshot(other, 'url-state-index');

  // Back: the filter, the sort, then the whole search at once (typing is one step).
  await page.goBack();
  await expect(page.getByRole('button', { name: 'alive' })).toHaveAttribute('aria-pressed', 'false');
  await page.goBack();
  await expect(page.getByTestId('feature-sort')).toHaveValue('index');
  await expect(page.getByTestId('feature-search')).toHaveValue('the');
  await page.goBack();
  await expect(page.getByTestId('feature-search')).toHaveValue('');

  // The map's colouring.
  await other.goto(`./#/map/${SAE}`);
  await other.getByTestId('map-color-by').selectOption('maxAct');
  await expect.poll(async () => (await query(other)).get('color')).toBe('maxAct');
  // A box of latents, shift-dragged in the middle of the map.
  const canvas = (await other.getByTestId('scatter-canvas').boundingBox())!;
  const [cx, cy] = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
  await other.keyboard.down('Shift');
  await other.mouse.move(cx - 40, cy - 40);
  await other.mouse.down();
  await other.mouse.move(cx + 40, cy + 40, { steps: 4 });
  await other.mouse.up();
  await other.keyboard.up('Shift');
  const selection = other.getByTestId('map-selection');
  await expect(selection).toContainText(/\d+ selected/);
  const boxed = (await selection.textContent())!.match(/(\d+) selected/)![1];
  await expect.poll(async () => (await query(other)).get('sel')).toMatch(/^\d+(-\d+)?(,\d+(-\d+)?)*$/);
  await other.reload();
  await expect(other.getByTestId('map-color-by')).toHaveValue('maxAct');
  await expect(selection).toContainText(`${boxed} selected`);
  await screenshot(other, 'url-state-map');
  await expect(other).toHaveTitle(new RegExp(`Map · ${SAE}`));
  await other.context().close();
});

test('the feature page’s test text and token, and the attention viewer’s head and text, travel in their links', async ({ page, browser }, info) => {
  const feature = busiestFeature(SAE);
  await page.goto(`./#/feature/${SAE}/${feature}`);
  await expect(page).toHaveTitle(new RegExp(`Feature ${feature} · ${SAE}`));
  const panel = page.getByTestId('panel-test');
  const input = panel.getByTestId('test-text-input');
  await expect(input).not.toHaveValue('');
  const suggested = await input.inputValue();
  await input.fill(SHORT);
  await expect.poll(async () => (await query(page)).get('text')).toBe(SHORT);
  const strip = panel.getByTestId('token-strip').getByTestId('token');
  await expect.poll(async () => (await strip.evaluateAll((els) => els.map((e) => e.getAttribute('data-token') ?? ''))).join(''), { timeout: MODEL_READY_TIMEOUT_MS }).toBe(SHORT);
  await strip.nth(3).click();
  await expect.poll(async () => (await query(page)).get('token')).toBe('4');
  const pressed = panel.locator('[data-testid="token"][aria-pressed="true"]');
  await expect(pressed).toHaveAttribute('data-index', '4');
  const hash = await hashOf(page);

  // Back: the token, then the text typed; Forward brings both again.
  await page.goBack();
  await expect.poll(async () => (await query(page)).get('token')).toBeNull();
  await expect(input).toHaveValue(SHORT);
  await page.goBack();
  await expect(input).toHaveValue(suggested);
  await page.goForward();
  await page.goForward();
  await expect(input).toHaveValue(SHORT);
  await expect(pressed).toHaveAttribute('data-index', '4');
  // The next feature keeps the text being tested, not the token.
  await page.getByRole('link', { name: 'Next feature' }).click();
  await expect(page.getByTestId('feature-view')).toHaveAttribute('data-feature', String(feature + 1));
  await expect(input).toHaveValue(SHORT);
  expect((await query(page)).get('token')).toBeNull();
  // The top examples' filter and sort.
  const top = page.getByTestId('panel-top');
  await top.getByTestId('example-filter').fill(' the');
  await top.getByTestId('example-sort').selectOption('position');
  await expect.poll(async () => Object.fromEntries(await query(page))).toMatchObject({ peak: ' the', examplesort: 'position', text: SHORT });
  const examples = await hashOf(page);

  const other = await freshPage(browser, info);
  await other.goto(`./${hash}`);
  const otherPanel = other.getByTestId('panel-test');
  await expect(otherPanel.getByTestId('test-text-input')).toHaveValue(SHORT);
  await expect(otherPanel.locator('[data-testid="token"][aria-pressed="true"]')).toHaveAttribute('data-index', '4', { timeout: MODEL_READY_TIMEOUT_MS });
  await screenshot(other, 'url-state-feature');
  await other.goto(`./${examples}`);
  await expect(other.getByTestId('panel-top').getByTestId('example-filter')).toHaveValue(' the');
  await expect(other.getByTestId('panel-top').getByTestId('example-sort')).toHaveValue('position');
  await expect(other.getByTestId('test-text-input')).toHaveValue(SHORT);

  // The attention viewer: the head in its address, and the text it shows.
  await other.goto('./#/attention?layer=1&head=2');
  await expect.poll(async () => (await query(other)).get('text')).not.toBeNull();
  await other.getByTestId('attention-input').fill('Hello world, said the king.');
  await expect.poll(async () => (await query(other)).get('text')).toBe('Hello world, said the king.');
  await other.getByTestId('attention-thumb').nth(2 * 8 + 5).click();
  await expect.poll(async () => Object.fromEntries(await query(other))).toEqual({ layer: '2', head: '5', text: 'Hello world, said the king.' });
  const attention = await hashOf(other);

  // The steering page: its experiment, and the splice and ablation panels' choices beside it.
  await other.goto('./#/steer');
  await other.getByTestId('splice-sae').selectOption('L1-mlp-topk');
  await other.getByLabel('Hold the feature at').fill('2.5');
  await other.getByTestId('steer-prompt').fill('The queen said');
  await expect.poll(async () => Object.fromEntries(await query(other))).toMatchObject({ splice: 'L1-mlp-topk', hold: '2.5', text: 'The queen said' });
  await expect(other).toHaveTitle(/Steer · feature \d+ · L2-resid-topk/);
  const steer = await hashOf(other);
  await other.goto('./#/heads');
  await other.goto(`./${steer}`);
  await expect(other.getByTestId('steer-prompt')).toHaveValue('The queen said');
  await expect(other.getByTestId('splice-sae')).toHaveValue('L1-mlp-topk');
  await expect(other.getByLabel('Hold the feature at')).toHaveValue('2.5');
  await other.context().close();

  await page.goto(`./${attention}`);
  await expect(page.getByTestId('attention-input')).toHaveValue('Hello world, said the king.');
  await expect(page.getByTestId('attention-large').getByRole('heading')).toContainText('Head L2H5', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(page).toHaveTitle(/Attention L2H5/);
  await screenshot(page, 'url-state-attention');
});
