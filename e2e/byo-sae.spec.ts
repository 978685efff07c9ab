/**
 * "Bring your own SAE": the reader drops, picks or links an SAE's files in each format; it is
 * checked against the model, joins the picker under its own id, shows the activations PyTorch
 * computed for the bundled SAE it was re-saved from (the bundle's fixtures, within 1e-4), opens as
 * a live feature dashboard, survives a reload (a linked one offline too) and can be removed; its
 * corpus panels can be computed in the browser, with a progress bar and Cancel, while the page goes on
 * answering. Bad files and links show a card naming the file, and the prompt text stays. The SAEs are picked from
 * the served bundle's manifest, so this runs on any bundle with TopK, standard and JumpReLU SAEs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectResultFor, openExplorer, promptInput, screenshot, tokens, tokenValues } from './explorer';
import { dropFiles, featurePerToken, fixtureActs, folderFiles, pickSae, saveGemmaScope, saveSaeLens, saveSparsify, strongestPerToken } from './saeFormatFiles';

/** PyTorch (fp32) against the engine in Chromium, as in the parity tests (tools/parity/fixtureParity.ts). */
const TOLERANCE = 1e-4;

// Gemma Scope and sparsify files are re-saved from SAEs that encode as those libraries do.
const JUMPRELU = pickSae('jumprelu', (cfg) => cfg.apply_b_dec_to_input === false);
const TOPK = pickSae('topk', (cfg) => cfg.apply_b_dec_to_input === true, JUMPRELU.layer);
const STANDARD = pickSae('standard', () => true, JUMPRELU.layer);

const dir = mkdtempSync(path.join(tmpdir(), 'byo-sae-'));

/** What the strip shows for `saeId` on the fixture text, once computed. */
async function valuesOf(page: Page, text: string, saeId: string): Promise<number[]> {
  await page.getByTestId('sae-picker').selectOption(saeId);
  await expectResultFor(page, text, saeId);
  return tokenValues(page);
}

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what}: tokens`).toBe(expected.length);
  expect(expected.some((v) => v !== 0), `${what}: the fixture has some activation`).toBe(true);
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  expect(worst, `${what}: max |Δ| against PyTorch`).toBeLessThan(TOLERANCE);
}

async function expectSaeShows(page: Page, text: string, saeId: string, expected: number[]): Promise<void> {
  await expectResultFor(page, text, saeId);
  expectClose(await tokenValues(page), expected, saeId);
}

test.describe('bring your own SAE', () => {
  test('each format, dropped or picked, shows the fixtures’ activations, opens as a live dashboard, survives a reload and can be removed', async ({ page }) => {
    const acts = { topk: await fixtureActs(TOPK.id), standard: await fixtureActs(STANDARD.id), jumprelu: await fixtureActs(JUMPRELU.id) };
    const text = acts.standard.text;
    const sparsify = await saveSparsify(TOPK.id, path.join(dir, 'pick', `layers.${TOPK.layer}`));
    const saelens = saveSaeLens(STANDARD.id, path.join(dir, 'drop', STANDARD.id));
    const gemma = await saveGemmaScope(JUMPRELU.id, path.join(dir, 'folder', `layer_${JUMPRELU.layer}`));
    const sparsifyId = `layers.${TOPK.layer}`;
    const saelensId = `saelens-L${STANDARD.layer}-resid-standard`;
    const gemmaId = `layer_${JUMPRELU.layer}`;

    await openExplorer(page, { text });
    await expectResultFor(page, text);

    // A sparsify folder picked: its name, layers.N, says the hook (resid_post of block N).
    await page.getByTestId('sae-folder-input').setInputFiles(sparsify);
    await expectSaeShows(page, text, sparsifyId, strongestPerToken(acts.topk));

    // SAELens files dropped without their folder: cfg.json names the hook; the id says what it is.
    // Dropped again, the same SAE is listed a second time under an id of its own.
    await dropFiles(page, folderFiles(saelens));
    await expectSaeShows(page, text, saelensId, strongestPerToken(acts.standard));
    await dropFiles(page, folderFiles(saelens));
    await expectSaeShows(page, text, `${saelensId}-2`, strongestPerToken(acts.standard));

    // A Gemma Scope folder picked: params.npz names no hook, so the reader chooses it.
    await page.getByTestId('sae-hook').selectOption(JUMPRELU.hook_name);
    await page.getByTestId('sae-folder-input').setInputFiles(gemma);
    await expectSaeShows(page, text, gemmaId, strongestPerToken(acts.jumprelu));
    await page.getByTestId('sae-hook').selectOption('');
    await screenshot(page, 'byo-sae-loaded');

    const listed = page.getByTestId('user-sae');
    await expect(listed).toHaveCount(4);

    // A feature link of the prompt view opens the SAE's live dashboard; "test your text" starts
    // from the prompt and shows PyTorch's activations of that feature.
    const link = page.getByTestId('features-panel').getByTestId('feature-row').first().locator('.feature-row__link');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^#/feature/${gemmaId}/\\d+$`));
    const feature = Number(href.split('/').pop());
    await link.click();
    const view = page.getByTestId('feature-view');
    await expect(view).toHaveAttribute('data-live', 'true');
    await expect(page.getByTestId('feature-header')).toContainText(JUMPRELU.hook_name);
    await expect(page.getByTestId('corpus-compute')).toBeVisible();
    await expect(page.getByTestId('logits-positive').locator('li')).not.toHaveCount(0);
    await expect(page.getByTestId('neighbours').locator('a').first()).toHaveAttribute('href', new RegExp(`^#/feature/${gemmaId}/\\d+$`));
    for (const panel of ['activations', 'top', 'intervals', 'correlated']) await expect(page.getByTestId(`panel-${panel}`)).toHaveCount(0);
    await expect(page.getByTestId('test-text-input')).toHaveValue(text);
    const strip = page.getByTestId('test-text-result').getByTestId('token');
    await expect(strip).toHaveCount(acts.jumprelu.nTokens - 1);
    expectClose(await strip.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value')))), featurePerToken(acts.jumprelu, feature), `${gemmaId} feature ${feature}`);
    await screenshot(page, 'byo-sae-live-dashboard');

    // After a reload the four are loaded again from IndexedDB; the dashboard's address still works.
    await page.reload();
    await expect(view).toHaveAttribute('data-live', 'true', { timeout: 240_000 });
    await expect(page.getByTestId('test-text-result').getByTestId('token')).toHaveCount(acts.jumprelu.nTokens - 1);
    await page.goto('./#/');
    await expect(listed).toHaveCount(4);
    for (const id of [sparsifyId, saelensId, `${saelensId}-2`, gemmaId]) await expect(page.locator(`#sae-picker option[value="${id}"]`)).toHaveCount(1);
    expectClose(await valuesOf(page, text, saelensId), strongestPerToken(acts.standard), `${saelensId} after a reload`);

    await listed.filter({ hasText: saelensId }).first().getByRole('button', { name: 'Remove' }).click();
    await expect(listed).toHaveCount(3);
    await expect(page.locator(`#sae-picker option[value="${saelensId}"]`)).toHaveCount(0);
    await page.reload();
    await expect(listed).toHaveCount(3);
    await expect(page.locator(`#sae-picker option[value="${saelensId}"]`)).toHaveCount(0);
    await expect(page.locator(`#sae-picker option[value="${saelensId}-2"]`)).toHaveCount(1);
  });

  test('corpus panels computed in the browser fill the histogram and the examples; Cancel stops a pass and the page keeps answering meanwhile', async ({ page }) => {
    const acts = await fixtureActs(STANDARD.id);
    const text = acts.text;
    const saelensId = `saelens-L${STANDARD.layer}-resid-standard`;
    await openExplorer(page, { text });
    await expectResultFor(page, text);
    await dropFiles(page, folderFiles(saveSaeLens(STANDARD.id, path.join(dir, 'corpus', STANDARD.id))));
    await expectSaeShows(page, text, saelensId, strongestPerToken(acts));
    // The prompt's strongest feature: it fires on ordinary text, so on the corpus's first sequences too.
    await page.getByTestId('features-panel').getByTestId('feature-row').first().locator('.feature-row__link').click();
    const view = page.getByTestId('feature-view');
    await expect(view).toHaveAttribute('data-live', 'true');
    for (const panel of ['activations', 'top', 'intervals', 'correlated']) await expect(page.getByTestId(`panel-${panel}`)).toHaveCount(0);

    // The whole corpus takes long: meanwhile "test your text" is answered, then Cancel stops the pass.
    const sizes = page.getByTestId('corpus-size');
    const options = await sizes.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    await sizes.selectOption(options.at(-1)!);
    await page.getByTestId('corpus-compute').click();
    const progress = page.getByTestId('corpus-progress');
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expect(progress).toContainText(/[1-9]\d* of [\d,]+ sequences/);
    const typed = 'Call me Ishmael.';
    await page.getByTestId('test-text-input').fill(typed);
    const testTokens = page.getByTestId('test-text-result').getByTestId('token');
    await expect.poll(() => testTokens.evaluateAll((els) => els.map((el) => el.getAttribute('data-token') ?? '').join(''))).toContain('Ishmael');
    await expect(progress).toBeVisible();
    await page.getByTestId('corpus-cancel').click();
    await expect(page.getByTestId('corpus-error')).toContainText('cancelled');
    await expect(page.getByTestId('panel-activations')).toHaveCount(0);

    // The smallest choice, to the end: every panel is drawn, and the header says what it covers.
    await sizes.selectOption(options[0]!);
    const nSeqs = Number(options[0]);
    await page.getByTestId('corpus-compute').click();
    await expect(view).toHaveAttribute('data-corpus-seqs', String(nSeqs), { timeout: 300_000 });
    await expect(page.getByTestId('corpus-coverage')).toContainText(`first ${nSeqs} sequences`);
    await expect(page.getByTestId('corpus-coverage')).toContainText('computed in this browser');
    await expect(page.getByTestId('panel-activations').locator('svg rect').first()).toBeVisible();
    await expect(page.getByTestId('top-tokens')).toBeVisible();
    await expect(page.getByTestId('panel-top').getByTestId('example-rows').first()).toBeVisible();
    await expect(page.getByTestId('panel-top').getByTestId('example-rows').first().locator('> *')).not.toHaveCount(0);
    await expect(page.getByTestId('panel-intervals')).toBeVisible();
    await expect(page.getByTestId('panel-correlated')).toBeVisible();
    await expect(page.getByTestId('stat-density')).toBeVisible();
    await screenshot(page, 'byo-sae-corpus-panels');

    // The next feature's page comes from the same computation, at once.
    await page.getByRole('link', { name: 'Next feature' }).click();
    await expect(view).toHaveAttribute('data-corpus-seqs', String(nSeqs), { timeout: 10_000 });
    await expect(page.getByTestId('panel-activations')).toBeVisible();
  });

  test.describe('by URL', () => {
    let server: Server;
    let base = '';
    let requests: string[] = [];
    /** the server answers 404 to everything: the reader is offline */
    let offline = false;

    test.beforeAll(async () => {
      saveSaeLens(STANDARD.id, path.join(dir, 'served', 'linked-standard'));
      // Paths: /<mode>/<file path>, mode cors | nocors | slow (CORS, the body sent in parts); a
      // Hugging Face-style "<repo>/resolve/main/" before the file path is skipped, so that
      // /<mode>/<repo>/resolve/main/<folder>/<file> reads like a link to a repository of user <mode>.
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        const url = new URL(req.url ?? '/', 'http://x');
        const [, mode = '', ...rest] = url.pathname.split('/');
        if (mode !== 'nocors') {
          res.setHeader('Access-Control-Allow-Origin', '*');
          res.setHeader('Access-Control-Allow-Headers', 'Range');
          res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
        }
        if (req.method === 'OPTIONS') return void res.writeHead(204).end();
        const file = path.join(dir, 'served', rest.join('/').replace(/^[^/]+\/resolve\/main\//, ''));
        let body: Buffer;
        try {
          if (offline) throw new Error('offline');
          body = readFileSync(file);
        } catch {
          return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        }
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
        if (mode !== 'slow') return void res.end(body);
        const parts = 8;
        const step = Math.ceil(body.length / parts);
        let i = 0;
        const next = () => {
          if (i >= parts) return void res.end();
          res.write(body.subarray(i * step, (i + 1) * step));
          i++;
          setTimeout(next, 300);
        };
        next();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('a Hugging Face-style link loads with progress per file and is kept for offline use; 404 and non-CORS links say what is wrong', async ({ page }) => {
      const acts = await fixtureActs(STANDARD.id);
      const text = acts.text;
      const expected = strongestPerToken(acts);
      await openExplorer(page, { text });
      await expectResultFor(page, text);
      const url = page.getByTestId('sae-url-input');
      const card = page.getByTestId('sae-import').getByTestId('error-card');

      // A 404: the card names the file; the link and the prompt stay as typed.
      const missing = `${base}/cors/repo/resolve/main/nothing-here/`;
      await url.fill(missing);
      await page.getByTestId('sae-url-load').click();
      await expect(card).toBeVisible({ timeout: 5_000 });
      await expect(card).toContainText('HTTP 404');
      await expect(card).toContainText('nothing-here/cfg.json');
      await expect(url).toHaveValue(missing);
      await expect(promptInput(page)).toHaveValue(text);

      // A server without CORS headers.
      const noCors = `${base}/nocors/linked-standard/cfg.json`;
      await url.fill(noCors);
      await page.getByTestId('sae-url-load').click();
      await expect(card).toContainText('CORS', { timeout: 5_000 });
      await expect(card).toContainText('linked-standard/cfg.json');
      await expect(url).toHaveValue(noCors);
      await screenshot(page, 'byo-sae-nocors');

      // A Hugging Face page link ("tree/main") to the folder, served slowly: a bar per file, in bytes.
      requests = [];
      await url.fill(`${base}/slow/repo/tree/main/linked-standard`);
      await page.getByTestId('sae-url-load').click();
      const weightsRow = page.getByTestId('sae-file-progress').filter({ hasText: 'sae_weights.safetensors' });
      await expect(weightsRow).toContainText(/\d+(\.\d+)? (B|kB|MB) \/ \d+(\.\d+)? MB/, { timeout: 10_000 });
      await screenshot(page, 'byo-sae-url-progress');
      await expectSaeShows(page, text, 'linked-standard', expected);
      await expect(card).toBeHidden();
      expect(requests.some((r) => r.includes('/slow/repo/resolve/main/linked-standard/cfg.json'))).toBe(true);

      // The server goes away: after a reload the SAE is loaded from this browser's storage.
      offline = true;
      requests = [];
      await page.reload();
      await expect(page.getByTestId('user-sae')).toHaveCount(1, { timeout: 240_000 });
      await expect(page.getByTestId('user-sae')).toContainText('linked-standard');
      expectClose(await valuesOf(page, text, 'linked-standard'), expected, 'linked-standard offline');
      expect(requests).toEqual([]);
      await page.getByTestId('user-sae').getByRole('button', { name: 'Remove' }).click();
      await expect(page.getByTestId('user-sae')).toHaveCount(0);
      await page.reload();
      await expect(tokens(page).first()).toBeVisible({ timeout: 240_000 });
      await expect(page.getByTestId('user-sae')).toHaveCount(0);
      offline = false;
    });
  });

  test('bad files show a card naming the file and the problem within seconds, and keep the text', async ({ page }) => {
    const text = 'The sailors watched the whale rise from the sea.';
    const good = saveSaeLens(STANDARD.id, path.join(dir, 'bad-base', 'base'));
    const cfg = readFileSync(path.join(good, 'cfg.json'));
    const weights = readFileSync(path.join(good, 'sae_weights.safetensors'));
    const headerLength = Number(weights.readBigUInt64LE(0));
    const header = JSON.parse(weights.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; data_offsets: number[] }>;

    const hugeHeader = Buffer.from(weights);
    hugeHeader.writeBigUInt64LE(BigInt(weights.length * 4), 0);
    const nanWeights = Buffer.from(weights);
    const W_enc = header.W_enc!;
    // A NaN in the weights' own dtype: 0x7e00 in float16, 0x7fc00000 in float32.
    if (W_enc.dtype === 'F16') nanWeights.writeUInt16LE(0x7e00, 8 + headerLength + W_enc.data_offsets[0]!);
    else nanWeights.writeUInt32LE(0x7fc00000, 8 + headerLength + W_enc.data_offsets[0]!);
    const badDtype = Buffer.from(weights.toString('latin1').replace(`"dtype":"${W_enc.dtype}"`, '"dtype":"C64"'), 'latin1');
    const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const cfgJson = JSON.parse(cfg.toString('utf8')) as { d_sae: number };
    const wrongDSae = cfgJson.d_sae + 52;
    const wrongShape = Buffer.from(JSON.stringify({ ...cfgJson, d_sae: wrongDSae }));

    const cases: { name: string; files: { name: string; bytes: Buffer }[]; expect: RegExp }[] = [
      { name: 'truncated', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: weights.subarray(0, weights.length - 1000) }], expect: /truncated/ },
      { name: 'header longer than the file', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: hugeHeader }], expect: /sae_weights\.safetensors/ },
      { name: 'NaN weights', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: nanWeights }], expect: /NaN|finite/i },
      { name: 'unsupported dtype', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: badDtype }], expect: /C64/ },
      { name: 'deep JSON', files: [{ name: 'cfg.json', bytes: deep }, { name: 'sae_weights.safetensors', bytes: weights }], expect: /cfg\.json/ },
      { name: 'shape mismatch', files: [{ name: 'cfg.json', bytes: wrongShape }, { name: 'sae_weights.safetensors', bytes: weights }], expect: new RegExp(String(wrongDSae)) },
    ];

    await openExplorer(page, { text });
    await expectResultFor(page, text);
    await page.getByTestId('sae-url-input').fill('https://example.invalid/typed-but-not-sent');
    const card = page.getByTestId('sae-import').getByTestId('error-card');
    for (const c of cases) {
      await test.step(c.name, async () => {
        await dropFiles(page, c.files);
        await expect(card, c.name).toBeVisible({ timeout: 3_000 });
        await expect(card, c.name).toContainText(c.expect);
        await expect(card.locator('.error-card__source'), c.name).toBeVisible();
        await card.getByRole('button', { name: 'Dismiss' }).click();
        await expect(card).toBeHidden();
      });
    }
    // The page still answers, the text and the link are as typed, and no SAE was added.
    await expect(promptInput(page)).toHaveValue(text);
    await expect(page.getByTestId('sae-url-input')).toHaveValue('https://example.invalid/typed-but-not-sent');
    await expect(page.getByTestId('user-sae')).toHaveCount(0);
    await expectResultFor(page, text);
    await screenshot(page, 'byo-sae-errors');
  });
});
