/**
 * Phone width and accessibility (WCAG 2.2 AA), as a reader on a 390 px phone or with a keyboard only
 * meets the app: every view laid out without sideways scrolling, axe-core finding no serious or
 * critical violation on any view with its data on screen, and the main tasks done without a mouse.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectResultFor, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, SCREENSHOTS, screenshot, tokens } from './explorer';

const PHONE = { width: 390, height: 844 };
/** playwright.config.ts's viewport */
const DESKTOP = { width: 1360, height: 900 };
/** each side of the header's steps (layout.css: 1300 and 1020 px) and a tablet */
const TABLET_WIDTHS = [1301, 1021, 1020, 768];
const TEXT = 'The old captain looked out over the sea, and the whale swam away.';
const SAE = 'L2-resid-topk';
const FEATURE = 726;

interface RouteVisit {
  name: string;
  hash: string;
  /** what shows once the view's data is on screen */
  ready(page: Page): Locator;
}

/** Every route of src/views/routes.tsx (the prompt view is visited with live activations first), and three embeds (one dark). */
const VISITS: RouteVisit[] = [
  { name: 'features', hash: `#/features/${SAE}`, ready: (p) => p.getByTestId('feature-index-row').first() },
  { name: 'feature', hash: `#/feature/${SAE}/${FEATURE}`, ready: (p) => p.getByTestId('panel-top').getByTestId('context-strip').first() },
  { name: 'saes', hash: '#/saes', ready: (p) => p.getByTestId('saes-row').first() },
  { name: 'heads', hash: '#/heads', ready: (p) => p.getByTestId('head-cell').first() },
  { name: 'head', hash: '#/head/1/3', ready: (p) => p.getByTestId('head-feature-row').first() },
  { name: 'attention', hash: '#/attention?layer=2&head=5', ready: (p) => p.getByTestId('attention-large') },
  { name: 'map', hash: `#/map/${SAE}`, ready: (p) => p.getByTestId('map-lit-count') },
  { name: 'joint-map', hash: '#/joint-map', ready: (p) => p.getByTestId('joint-legend') },
  { name: 'token-map', hash: `#/token-map/${SAE}`, ready: (p) => p.getByTestId('token-map-view') },
  { name: 'steer', hash: '#/steer', ready: (p) => p.getByTestId('steer-generate') },
  { name: 'embed-feature', hash: `#/feature/${SAE}/${FEATURE}?embed=true&panels=activations,top`, ready: (p) => p.getByTestId('panel-top').getByTestId('context-strip').first() },
  { name: 'embed-feature-dark', hash: `#/feature/${SAE}/${FEATURE}?embed=true&theme=dark&panels=logits,top`, ready: (p) => p.getByTestId('panel-top').getByTestId('context-strip').first() },
  { name: 'embed-prompt', hash: `#/?embed=true&text=${encodeURIComponent(TEXT)}`, ready: (p) => p.getByTestId('token-strip') },
];

/** Nothing on the page is wider than the window: the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect.soft(sizes.scroll, `${what} scrolls sideways`).toBeLessThanOrEqual(sizes.inner);
}

/** axe-core's WCAG 2.2 AA rules; serious and critical findings fail, listed by rule and element. */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  expect.soft(serious, `axe on ${what}`).toEqual([]);
}

test('at 390 × 844 every view fits the width, and axe finds no serious violation on any view', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await openExplorer(page, { text: TEXT });
  await expectResultFor(page, TEXT);
  await screenshot(page, 'phone-prompt');
  await expectNoSidewaysScroll(page, 'the prompt view');
  // A tapped token's features show beside the strip, on the same screen as the token.
  const token = tokens(page).nth(3);
  await token.click();
  const panel = page.getByTestId('features-panel');
  await expect(panel.getByRole('heading')).toContainText('Token 4');
  await expect(token).toBeInViewport();
  await expect(panel.getByTestId('feature-row').first()).toBeInViewport();
  await page.screenshot({ path: `${SCREENSHOTS}/phone-prompt-token.png` });
  await expectNoSeriousViolations(page, 'the prompt view');

  // The header's navigation folds behind Menu, which opens it over the page and closes on a choice.
  const nav = page.getByRole('navigation', { name: 'Views' });
  await expect(nav.getByRole('link', { name: 'Features' })).toBeHidden();
  await page.getByTestId('nav-menu').click();
  await expect(page.getByTestId('nav-menu')).toHaveAttribute('aria-expanded', 'true');
  await page.screenshot({ path: `${SCREENSHOTS}/phone-menu.png` });
  await expectNoSeriousViolations(page, 'the open menu');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('nav-menu')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('nav-menu')).toBeFocused();
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'Features' }).click();
  await expect(page).toHaveURL(/#\/features/);
  await expect(nav.getByRole('link', { name: 'Features' })).toBeHidden();

  // Another model opens from the phone too: the header's "Model" button, its dialog within the screen.
  await page.getByTestId('model-menu-button').click();
  const dialog = page.getByTestId('model-dialog');
  await expect(dialog.getByTestId('model-dropzone')).toBeInViewport();
  expect((await dialog.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: `${SCREENSHOTS}/phone-model-dialog.png` });
  await expectNoSeriousViolations(page, 'the model dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  for (const visit of VISITS) {
    await page.goto(`./${visit.hash}`);
    await expect(visit.ready(page)).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
    await screenshot(page, `phone-${visit.name}`);
    await expectNoSidewaysScroll(page, visit.name);
    await expectNoSeriousViolations(page, visit.name);
  }
});

/** Presses Tab (or `key`) until `target` has the focus, at most `max` times, as a keyboard reader gets there. */
async function tabTo(page: Page, target: Locator, { max = 120, key = 'Tab' } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}

test('keyboard only: type a prompt, walk to a token, open a feature, read its panels, come back; axe on every view at desktop width', async ({ page }) => {
  await openExplorer(page, { text: '' });
  await expect(page.getByText('Type some text above')).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
  // The first Tab reaches the skip link, which jumps past the header to the view.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await expect(page.getByTestId('skip-link')).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(promptInput(page)).toBeFocused();
  await page.keyboard.type(TEXT);
  await expectResultFor(page, TEXT);

  // The strip is one tab stop; arrows walk it and Enter selects.
  await tabTo(page, tokens(page).first());
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(tokens(page).nth(3)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tokens(page).nth(3)).toHaveAttribute('aria-pressed', 'true');
  const panel = page.getByTestId('features-panel');
  await expect(panel.getByRole('heading')).toContainText('Token 4');

  // On the way to the token's features, the file pickers are tab stops too.
  await tabTo(page, page.getByTestId('sae-file-input'));
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('sae-folder-input')).toBeFocused();
  const link = panel.getByTestId('feature-row').first().locator('.feature-row__link');
  const href = (await link.getAttribute('href'))!;
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(href.replace(/[/#]/g, '\\$&')));
  await expect(page.getByTestId('feature-header')).toBeVisible();

  // The activation histogram is one tab stop whose arrow keys read out each bar.
  const activations = page.getByTestId('panel-activations');
  const chart = activations.getByTestId('histogram-chart');
  await tabTo(page, chart);
  await page.keyboard.press('ArrowRight');
  await expect(activations.locator('.histogram__range')).toHaveText(/^\S+ to \S+$/);
  await expect(chart).toHaveAttribute('aria-valuetext', /to .*: [\d,]+ tokens/);
  await page.keyboard.press('End');
  await expect(chart).toHaveAttribute('aria-valuenow', String(Number(await chart.getAttribute('aria-valuemax'))));
  // An example row shows its peak's activation when reached, and the arrow keys walk its tokens.
  const example = page.getByTestId('panel-top').getByTestId('context-strip').first();
  await tabTo(page, example);
  const tip = example.getByTestId('token-tooltip');
  await expect(tip).toContainText(/\d/);
  const peakTip = await tip.textContent();
  await page.keyboard.press('ArrowLeft');
  await expect(tip).not.toHaveText(peakTip!);
  await screenshot(page, 'keyboard-feature');

  // Back to the prompt by keyboard (headless Chromium has no Alt+Left): Shift+Tab up to the header's
  // navigation; the text and the strip are as they were.
  const promptLink = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Prompt' });
  await tabTo(page, promptLink, { key: 'Shift+Tab' });
  await page.keyboard.press('Enter');
  await expect(promptInput(page)).toHaveValue(TEXT);
  await expectResultFor(page, TEXT);
  await expectNoSeriousViolations(page, 'the prompt view at desktop width');

  for (const visit of VISITS) {
    await page.goto(`./${visit.hash}`);
    await expect(visit.ready(page)).toBeVisible({ timeout: MODEL_READY_TIMEOUT_MS });
    await expectNoSeriousViolations(page, `${visit.name} at desktop width`);
    // Between the phone and the desktop, the header tightens, then folds: no width scrolls sideways.
    for (const width of TABLET_WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, `${visit.name} at ${width} px`);
    }
    await page.setViewportSize(DESKTOP);
  }
});
