/**
 * "Bring your own SAE": the reader drops, picks or links an SAE's files in each format; it is
 * checked against the model, joins the picker, gives the activations of the bundled SAE it was
 * re-saved from, survives a reload and can be removed. Bad files and links show a card naming
 * the file, and the prompt text stays.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectResultFor, manifest, openExplorer, promptInput, screenshot, tokenValues } from './explorer';
import { saveGemmaScope, saveSaeLens, saveSparsify } from './saeFormatFiles';

const TEXT = 'The sailors watched the whale rise from the sea.';
const TOPK = 'L1-resid-topk';
const JUMPRELU = 'L1-resid-jumprelu';
const STANDARD = 'L1-resid-standard';
const HOOK = 'blocks.1.hook_resid_post';
const hasSaes = [TOPK, JUMPRELU, STANDARD].every((id) => manifest.saes.some((s) => s.id === id));

const dir = mkdtempSync(path.join(tmpdir(), 'byo-sae-'));

/** Drops files on the page the way a browser does, with a DataTransfer holding them. */
async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  await page.evaluate((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const target = document.querySelector('[data-testid="sae-dropzone"]')!;
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  }, files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })));
}

function folderFiles(folder: string): { name: string; bytes: Buffer }[] {
  return readdirSync(folder).map((name) => ({ name, bytes: readFileSync(path.join(folder, name)) }));
}

async function valuesOf(page: Page, saeId: string): Promise<number[]> {
  await page.getByTestId('sae-picker').selectOption(saeId);
  await expectResultFor(page, TEXT, saeId);
  return tokenValues(page);
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expect(expected.some((v) => v > 0)).toBe(true);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected[i]!)));
}

test.describe('bring your own SAE', () => {
  test.skip(!hasSaes, `the bundle lacks ${TOPK}, ${JUMPRELU} or ${STANDARD}`);

  test('each format, dropped or picked, gives the bundled SAE’s activations, survives a reload and can be removed', async ({ page }) => {
    const sparsify = await saveSparsify(TOPK, path.join(dir, 'drop', 'layers.1'));
    const saelens = saveSaeLens(STANDARD, path.join(dir, 'pick', 'my-standard'));
    const gemma = await saveGemmaScope(JUMPRELU, path.join(dir, 'folder', 'layer_1'));

    await openExplorer(page, { text: TEXT });
    await expectResultFor(page, TEXT);
    const expected = { topk: await valuesOf(page, TOPK), standard: await valuesOf(page, STANDARD), jumprelu: await valuesOf(page, JUMPRELU) };

    // sparsify files dropped without their folder: the reader names the hook.
    await page.getByTestId('sae-hook').selectOption(HOOK);
    await dropFiles(page, folderFiles(sparsify));
    await expectResultFor(page, TEXT, 'dropped-sae');
    expectClose(await tokenValues(page), expected.topk);

    // A SAELens folder picked: cfg.json names the hook, the folder the id.
    await page.getByTestId('sae-hook').selectOption('');
    await page.getByTestId('sae-folder-input').setInputFiles(saelens);
    await expectResultFor(page, TEXT, 'my-standard');
    expectClose(await tokenValues(page), expected.standard);

    // A Gemma Scope folder picked.
    await page.getByTestId('sae-hook').selectOption(HOOK);
    await page.getByTestId('sae-folder-input').setInputFiles(gemma);
    await expectResultFor(page, TEXT, 'layer_1');
    expectClose(await tokenValues(page), expected.jumprelu);
    await screenshot(page, 'byo-sae-loaded');

    const listed = page.getByTestId('user-sae');
    await expect(listed).toHaveCount(3);

    // After a reload the three are loaded again from IndexedDB.
    await page.reload();
    await expect(listed).toHaveCount(3);
    for (const id of ['dropped-sae', 'my-standard', 'layer_1']) await expect(page.locator(`#sae-picker option[value="${id}"]`)).toHaveCount(1);
    expectClose(await valuesOf(page, 'my-standard'), expected.standard);

    await listed.filter({ hasText: 'my-standard' }).getByRole('button', { name: 'Remove' }).click();
    await expect(listed).toHaveCount(2);
    await expect(page.locator('#sae-picker option[value="my-standard"]')).toHaveCount(0);
    await page.reload();
    await expect(listed).toHaveCount(2);
    await expect(page.locator('#sae-picker option[value="my-standard"]')).toHaveCount(0);
  });

  test.describe('by URL', () => {
    let server: Server;
    let base = '';
    let requests: string[] = [];

    test.beforeAll(async () => {
      saveSaeLens(STANDARD, path.join(dir, 'served', 'linked-standard'));
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        const url = new URL(req.url ?? '/', 'http://x');
        const cors = url.pathname.startsWith('/cors/');
        if (cors) {
          res.setHeader('Access-Control-Allow-Origin', '*');
          res.setHeader('Access-Control-Allow-Headers', 'Range');
          res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
        }
        if (req.method === 'OPTIONS') return void res.writeHead(204).end();
        const file = path.join(dir, 'served', url.pathname.replace(/^\/(no)?cors\//, ''));
        let body: Buffer;
        try {
          body = readFileSync(file);
        } catch {
          return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        }
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('a link to a folder served with CORS loads; 404 and non-CORS links say what is wrong', async ({ page }) => {
      await openExplorer(page, { text: TEXT });
      await expectResultFor(page, TEXT);
      const expected = await valuesOf(page, STANDARD);
      const url = page.getByTestId('sae-url-input');
      const card = page.getByTestId('sae-import').getByTestId('error-card');

      // A 404: the card names the file; the link and the prompt stay as typed.
      requests = [];
      const missing = `${base}/cors/nothing-here/`;
      await url.fill(missing);
      await page.getByTestId('sae-url-load').click();
      await expect(card).toBeVisible({ timeout: 5_000 });
      await expect(card).toContainText('HTTP 404');
      await expect(card).toContainText('nothing-here/cfg.json');
      await expect(url).toHaveValue(missing);
      await expect(promptInput(page)).toHaveValue(TEXT);

      // A server without CORS headers.
      const noCors = `${base}/nocors/linked-standard/cfg.json`;
      await url.fill(noCors);
      await page.getByTestId('sae-url-load').click();
      await expect(card).toContainText('CORS', { timeout: 5_000 });
      await expect(card).toContainText('linked-standard/cfg.json');
      await expect(url).toHaveValue(noCors);
      await screenshot(page, 'byo-sae-nocors');

      // A link to one of the files, served with CORS.
      await url.fill(`${base}/cors/linked-standard/sae_weights.safetensors`);
      await page.getByTestId('sae-url-load').click();
      await expectResultFor(page, TEXT, 'linked-standard');
      await expect(card).toBeHidden();
      expectClose(await tokenValues(page), expected);
      expect(requests.some((r) => r.includes('/cors/linked-standard/cfg.json'))).toBe(true);
    });
  });

  test('bad files show a card naming the file and the problem within seconds, and keep the text', async ({ page }) => {
    const good = saveSaeLens(STANDARD, path.join(dir, 'bad-base', 'base'));
    const cfg = readFileSync(path.join(good, 'cfg.json'));
    const weights = readFileSync(path.join(good, 'sae_weights.safetensors'));
    const headerLength = Number(weights.readBigUInt64LE(0));
    const header = JSON.parse(weights.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; data_offsets: number[] }>;

    const hugeHeader = Buffer.from(weights);
    hugeHeader.writeBigUInt64LE(BigInt(weights.length * 4), 0);
    const nanWeights = Buffer.from(weights);
    // 0x7e00 is a float16 NaN.
    nanWeights.writeUInt16LE(0x7e00, 8 + headerLength + header.W_enc!.data_offsets[0]!);
    const badDtype = Buffer.from(weights.toString('latin1').replace(`"dtype":"${header.W_enc!.dtype}"`, '"dtype":"C64"'), 'latin1');
    const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const wrongShape = Buffer.from(cfg.toString('utf8').replace('"d_sae": 256', '"d_sae": 300'));

    const cases: { name: string; files: { name: string; bytes: Buffer }[]; expect: RegExp }[] = [
      { name: 'truncated', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: weights.subarray(0, weights.length - 1000) }], expect: /truncated/ },
      { name: 'header longer than the file', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: hugeHeader }], expect: /sae_weights\.safetensors/ },
      { name: 'NaN weights', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: nanWeights }], expect: /NaN|finite/i },
      { name: 'unsupported dtype', files: [{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: badDtype }], expect: /C64/ },
      { name: 'deep JSON', files: [{ name: 'cfg.json', bytes: deep }, { name: 'sae_weights.safetensors', bytes: weights }], expect: /cfg\.json/ },
      { name: 'shape mismatch', files: [{ name: 'cfg.json', bytes: wrongShape }, { name: 'sae_weights.safetensors', bytes: weights }], expect: /300/ },
    ];

    await openExplorer(page, { text: TEXT });
    await expectResultFor(page, TEXT);
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
    await expect(promptInput(page)).toHaveValue(TEXT);
    await expect(page.getByTestId('sae-url-input')).toHaveValue('https://example.invalid/typed-but-not-sent');
    await expect(page.getByTestId('user-sae')).toHaveCount(0);
    await expectResultFor(page, TEXT);
    await screenshot(page, 'byo-sae-errors');
  });
});
