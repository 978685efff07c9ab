/**
 * Precomputes the prompt view's first paint: the activations of the demo's default text on the
 * SAE the view starts with (the first the engine lists), by the worker's own analysis
 * (src/worker/analyzePrompt.ts), into <bundle>/dashboards/prompt-preview.json, and lists the file
 * with its size and SHA-256 in the manifest's `files` (the page uses it only when they match).
 *
 *   npx tsx scripts/precompute-prompt-preview.ts models/explorer-4l
 *
 * Run it again whenever the model, that SAE or the default text changes: the unit test
 * (src/dashboardData/promptPreview.bundle.test.ts) fails until then.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { encodePromptPreview, PROMPT_PREVIEW_FILE } from '../src/dashboardData/promptPreview';
import { Engine } from '../src/engine/engine';
import { DEFAULT_PROMPT } from '../src/state/promptStore';
import { analyzePrompt } from '../src/worker/analyzePrompt';

async function main(): Promise<void> {
  const [bundle, ...rest] = process.argv.slice(2);
  if (bundle === undefined || rest.length > 0) {
    console.error('usage: npx tsx scripts/precompute-prompt-preview.ts <bundle-dir>');
    process.exit(2);
  }
  const bundleDir = resolve(bundle);
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const saes = engine.listSaes();
  const sae = saes[0];
  if (!sae) throw new Error('the bundle has no SAE');
  const activations = await analyzePrompt(engine, DEFAULT_PROMPT, sae.id);
  const bytes = new TextEncoder().encode(encodePromptPreview({ saes, activations }));
  await writeFile(join(bundleDir, PROMPT_PREVIEW_FILE), bytes);

  // The manifest as the pipeline writes it (models/train/pipeline.py: indent 1, non-ASCII escaped), with this file's entry.
  const manifestPath = join(bundleDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files?: Record<string, { bytes: number; sha256: string }> };
  manifest.files = { ...manifest.files, [PROMPT_PREVIEW_FILE]: { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') } };
  const json = JSON.stringify(manifest, null, 1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  await writeFile(manifestPath, `${json}\n`);
  console.log(`wrote ${PROMPT_PREVIEW_FILE}: ${activations.nTokens - 1} tokens of the default text on ${sae.id}, ${bytes.byteLength} bytes`);
}

main().catch((err: unknown) => {
  console.error(`precompute-prompt-preview failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
