/**
 * A Hugging Face GPT-2 in the browser (docs/GPT2.md), proven without the Hub: the bundled model in
 * Hugging Face's layout (models/<bundle>/hf/: config.json, model.safetensors, tokenizer.json) is
 * opened by URL from the test server with `?model=` (and an SAE with `&sae_url=`: one link), the
 * engine builds its hooked graph from the weights, and SAELens SAEs linked by URL show PyTorch's
 * activations of the bundled model, again after a reload. Opened
 * with TransformerLens's default processing, an SAE trained without it is refused with how to open
 * the model for it; a config of another architecture, or one too large, is refused before any weight
 * is fetched.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { convertHfToBundle } from '../scripts/hf-to-bundle';
import { bundle, expectResultFor, MODEL_READY_TIMEOUT_MS, openExplorer, promptInput, screenshot, tokenValues } from './explorer';
import { bundleManifest, dropBundledSaeAsUser, dropFiles, fixtureActs, pickSae, strongestPerToken } from './saeFormatFiles';

/** PyTorch (fp32) against the engine in Chromium, as in the parity tests. */
const TOLERANCE = 1e-4;
const HF = `models/${bundleManifest.name}/hf/`;
const RESID = pickSae('topk', (cfg) => String(cfg.hook_name).includes('hook_resid'));
const ATTN = bundleManifest.saes.find((s) => s.hook_name.endsWith('attn.hook_z') && s.architecture === 'topk')!;

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what}: tokens`).toBe(expected.length);
  expect(expected.some((v) => v !== 0), `${what}: the fixture has some activation`).toBe(true);
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  expect(worst, `${what}: max |Δ| against PyTorch`).toBeLessThan(TOLERANCE);
}

test('the bundled model in Hugging Face’s layout, opened by URL with an SAE in one link, then another SAE by URL, shows the bundled model’s activations, and both come back after a reload', async ({ page, baseURL }) => {
  const resid = await fixtureActs(RESID.id);
  const attn = await fixtureActs(ATTN.id);
  const text = resid.text;
  const folderOf = (sae: typeof RESID) => `${baseURL}models/${bundleManifest.name}/${sae.path}/`;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  // One link: the model, how it is processed, and an SAE by URL.
  await openExplorer(page, { text, query: `?model=./${HF}&processing=none&sae_url=${encodeURIComponent(folderOf(RESID))}` });
  await expectResultFor(page, text, RESID.id);
  for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(requests, file).toContain(`${baseURL}${HF}${file}`);
  expectClose(await tokenValues(page), strongestPerToken(resid), `${RESID.id} on the Hugging Face layout`);

  await page.getByTestId('sae-url-input').fill(folderOf(ATTN));
  await page.getByTestId('sae-url-load').click();
  await expectResultFor(page, text, ATTN.id);
  expectClose(await tokenValues(page), strongestPerToken(attn), `${ATTN.id} on the Hugging Face layout`);
  await screenshot(page, 'gpt2-hf-layout-sae');

  // After a reload the model comes from this browser's copies, the SAEs from its storage, and the link's SAE is not added twice.
  await page.reload();
  await expect(page.getByTestId('user-sae')).toHaveCount(2, { timeout: MODEL_READY_TIMEOUT_MS });
  await page.getByTestId('sae-picker').selectOption(RESID.id);
  await expectResultFor(page, text, RESID.id);
  expectClose(await tokenValues(page), strongestPerToken(resid), `${RESID.id} after a reload`);
  await expect(page.getByTestId('user-sae')).toHaveCount(2);

  // Corpus panels for the SAE on this model run over the shipped bundle's held-out text, re-tokenised
  // with the model's tokenizer: here the bundle's own, so the windows, and the panels, are the bundled model's.
  await page.getByTestId('features-panel').getByTestId('feature-row').first().locator('.feature-row__link').click();
  const view = page.getByTestId('feature-view');
  await expect(view).toHaveAttribute('data-live', 'true');
  const inUse = page.getByTestId('corpus-in-use');
  const heldout = bundleManifest.data!.heldout!;
  await expect(inUse).toContainText(`the held-out text of ${bundleManifest.name}, re-tokenised for this model · ${heldout.n_seqs.toLocaleString('en-US')} sequences of ${heldout.seq_len} tokens`);
  const corpusPanels = async (nSeqs: number) => {
    await page.getByTestId('corpus-size').selectOption(String(nSeqs));
    await page.getByTestId('corpus-compute').click();
    await expect(view).toHaveAttribute('data-corpus-seqs', String(nSeqs), { timeout: MODEL_READY_TIMEOUT_MS });
    return [await page.getByTestId('stat-density').innerText(), await page.getByTestId('panel-top').getByTestId('example-rows').first().innerText()];
  };
  const feature = page.url().split('/').pop()!;
  const fromHeldoutText = await corpusPanels(64);
  await expect(page.getByTestId('corpus-coverage')).toContainText('re-tokenised for this model, computed in this browser');
  await screenshot(page, 'gpt2-corpus-panels');

  // The reader's own plain text instead, dropped on the corpus box; a file that is not text, picked, is refused, and the corpus stays.
  await dropFiles(page, [{ name: 'notes.txt', bytes: Buffer.from(`${text}\n`.repeat(80)) }], 'corpus-choice');
  await expect(inUse).toContainText(/Corpus: your text \(notes\.txt\) · \d+ sequences of 128 tokens/);
  await expect(page.getByTestId('panel-activations')).toHaveCount(0);
  await page.getByTestId('corpus-file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]) });
  await expect(page.getByTestId('corpus-choice-error')).toContainText('photo.png is not UTF-8 text');
  await expect(inUse).toContainText('your text (notes.txt)');
  const sizes = await page.getByTestId('corpus-size').locator('option').evaluateAll((els) => els.map((el) => Number((el as HTMLOptionElement).value)));
  await corpusPanels(sizes[0]!);
  await expect(page.getByTestId('corpus-coverage')).toContainText('your text (notes.txt), computed in this browser');
  await screenshot(page, 'gpt2-corpus-own-text');

  // The same SAE's files dropped on the bundled model, over the bundle's token windows: the same panels.
  await page.goto('./#/');
  const dropped = await dropBundledSaeAsUser(page, RESID.id);
  // The two SAEs kept for the Hugging Face model stay with it: only the one dropped here is listed, and none failed.
  await expect(page.getByTestId('user-sae')).toHaveCount(1);
  await expect(page.getByTestId('sae-import').getByTestId('error-card')).toHaveCount(0);
  await page.goto(`./#/feature/${dropped}/${feature}`);
  await expect(view).toHaveAttribute('data-live', 'true', { timeout: MODEL_READY_TIMEOUT_MS });
  await expect(inUse).toContainText(`Corpus: the held-out corpus of ${bundleManifest.name} · `);
  expect(await corpusPanels(64)).toEqual(fromHeldoutText);

  // Steered generation (the key/value-cached decoder built from the same weights) continues exactly as the bundled model does.
  const experiment = `#/steer?text=${encodeURIComponent('The nation')}&sae=${RESID.id}&f=7&s=20&temp=0&n=8`;
  const continuations = async () => {
    await expect(page.getByTestId('steer-generate')).toBeEnabled({ timeout: MODEL_READY_TIMEOUT_MS });
    await page.getByTestId('steer-generate').click();
    await expect(page.getByTestId('steer-output')).toHaveAttribute('data-status', 'done', { timeout: MODEL_READY_TIMEOUT_MS });
    const text = (branch: string) => page.getByTestId(`continuation-${branch}-text`).getAttribute('data-text');
    return [await text('steered'), await text('unsteered')];
  };
  await page.goto(`./?model=./${HF}&processing=none${experiment}`);
  const fromHf = await continuations();
  await page.goto(`./${experiment}`);
  const fromBundle = await continuations();
  expect(fromHf[1]!.length).toBeGreaterThan(0);
  expect(fromHf[0]).not.toBe(fromHf[1]);
  expect(fromHf).toEqual(fromBundle);
});

test('an SAE trained without TransformerLens’s processing is refused on the processed model with how to open it; other architectures and models too large are refused before downloading', async ({ page, baseURL }) => {
  const text = (await fixtureActs(RESID.id)).text;
  await openExplorer(page, { text, query: `?model=./${HF}` });
  const url = page.getByTestId('sae-url-input');
  await expect(page.getByTestId('backend')).toContainText('wasm', { timeout: MODEL_READY_TIMEOUT_MS });
  // A model from Hugging Face files comes without SAEs: the picker says where to add one.
  await expect(page.getByTestId('sae-picker')).toContainText('none yet: add your own below');
  const link = `${baseURL}models/${bundleManifest.name}/${RESID.path}/`;
  await url.fill(link);
  await page.getByTestId('sae-url-load').click();
  const card = page.getByTestId('sae-import').getByTestId('error-card');
  await expect(card).toContainText('center_writing_weights=false', { timeout: 30_000 });
  await expect(card).toContainText('processing=none');
  await expect(url).toHaveValue(link);
  await expect(promptInput(page)).toHaveValue(text);
  await screenshot(page, 'gpt2-processing-refused');

  // Served folders whose config.json is a Llama, and a GPT-2 far too large: no weight is asked for.
  const weights: string[] = [];
  await page.route((u) => u.pathname.startsWith('/fake/'), (route) => {
    const u = route.request().url();
    if (u.endsWith('model.safetensors')) weights.push(u);
    if (u.endsWith('/llama/config.json')) return route.fulfill({ json: { model_type: 'llama', architectures: ['LlamaForCausalLM'] } });
    if (u.endsWith('/huge/config.json')) {
      return route.fulfill({ json: { model_type: 'gpt2', n_layer: 96, n_embd: 12288, n_head: 96, n_positions: 2048, vocab_size: 50257 } });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  for (const [folder, says] of [['llama', /"llama".*GPT-2-architecture models only/], ['huge', /parameters.*GiB.*Nothing was downloaded/]] as const) {
    await page.goto(`./?model=${baseURL}fake/${folder}/#/`);
    await expect(page.getByTestId('error-card')).toContainText(says, { timeout: 60_000 });
    await expect(promptInput(page)).toHaveValue(text);
  }
  await screenshot(page, 'gpt2-too-large');
  expect(weights).toEqual([]);
});

test('scripts/hf-to-bundle.ts turns the Hugging Face layout and SAELens folders into a bundle the app opens with ?bundle=', async ({ page }) => {
  const resid = await fixtureActs(RESID.id);
  const out = mkdtempSync(path.join(tmpdir(), 'hf-bundle-'));
  const corpus = path.join(out, 'corpus.txt');
  writeFileSync(corpus, resid.text.repeat(40));
  await convertHfToBundle(path.join(bundle.dir, 'hf'), out, { saes: [path.join(bundle.dir, RESID.path)], corpus, seqLen: 32, processing: 'none', name: 'converted' });
  // Served as any static host would (404 for what is not there).
  await page.route((u) => u.pathname.startsWith('/converted/'), (route) => {
    const file = path.join(out, decodeURIComponent(new URL(route.request().url()).pathname.slice('/converted/'.length)));
    return existsSync(file) && file.startsWith(out) ? route.fulfill({ path: file }) : route.fulfill({ status: 404, body: 'not found' });
  });
  await openExplorer(page, { text: resid.text, query: '?bundle=/converted/' });
  await expectResultFor(page, resid.text, RESID.id);
  expectClose(await tokenValues(page), strongestPerToken(resid), `${RESID.id} in the converted bundle`);
  await expect(page.getByText('converted')).not.toHaveCount(0);
});
