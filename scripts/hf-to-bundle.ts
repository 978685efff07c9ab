/**
 * Turns a Hugging Face GPT-2 folder and SAELens SAE folders into a static bundle the app opens with
 * `?bundle=` (docs/GPT2.md, "A static bundle"): the hooked graph the browser would build, written as
 * model.onnx, with the analyses' weights, the tokenizer, the SAEs (checked against the model and the
 * processing they were trained on), a held-out corpus tokenised from text (kept beside it, so that
 * a model of another tokenizer can re-tokenise it), and manifest.json
 * with every file's size and hash. Then `scripts/precompute-dashboards.ts <out>` adds the dashboards
 * and maps.
 *
 *   npx tsx scripts/hf-to-bundle.ts <hf-folder> <out> --sae <saelens-folder> [--sae …]
 *       [--corpus text.txt] [--seq-len 128] [--max-seqs N] [--processing none|fold_ln,…] [--name N]
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCorpusDocuments, windowsOfDocuments } from '../src/engine/analysis/heldoutCorpus';
import { hfManifest } from '../src/engine/bundle/hfFolder';
import type { Manifest, ManifestSae } from '../src/engine/bundle/manifest';
import { gpt2AnalysisWeights } from '../src/engine/model/gpt2AnalysisWeights';
import { buildGpt2Graph, gpt2ManifestModel } from '../src/engine/model/gpt2Graph';
import { readGpt2Weights } from '../src/engine/model/gpt2Weights';
import { hookWidth, layerOfHook, saeKindOfHook } from '../src/engine/model/hookShapes';
import { parseProcessingParam, processingMismatch, processWeights, saeTrainingProcessing } from '../src/engine/model/weightProcessing';
import { loadSaeLens, SAELENS_WEIGHTS } from '../src/engine/sae/saelensFormat';
import { saeFilesFromMap } from '../src/engine/sae/saeFiles';
import { Tokenizer } from '../src/engine/tokenizer/tokenizer';

const HELDOUT_IDS = 'data/heldout.u16';
const HELDOUT_TEXT = 'data/heldout.jsonl';

export interface ConvertOptions {
  /** SAELens folders (cfg.json + sae_weights.safetensors) */
  saes: string[];
  /** the held-out corpus the dashboards are computed over: plain text, or JSON lines {source, text} as in a bundle's data/heldout.jsonl */
  corpus?: string;
  seqLen?: number;
  maxSeqs?: number;
  /** processing=… form; TransformerLens's defaults without */
  processing?: string;
  name?: string;
}

export async function convertHfToBundle(hfFolder: string, out: string, opts: ConvertOptions): Promise<Manifest> {
  const read = (name: string) => new Uint8Array(readFileSync(path.join(hfFolder, name)));
  const processingQuery = opts.processing ? `?processing=${opts.processing}` : '';
  const hf = hfManifest(JSON.parse(readFileSync(path.join(hfFolder, 'config.json'), 'utf8')), `file://${path.resolve(hfFolder)}/${processingQuery}`, Infinity);
  const { config, processing } = hf.hf;
  if (opts.processing && !parseProcessingParam(opts.processing)) throw new Error(`--processing ${opts.processing} is not a processing= value`);
  const tokenizer = Tokenizer.fromJson(JSON.parse(readFileSync(path.join(hfFolder, 'tokenizer.json'), 'utf8')));
  mkdirSync(path.join(out, 'saes'), { recursive: true });

  const weights = processWeights(await readGpt2Weights(read('model.safetensors'), config), config, processing);
  writeFileSync(path.join(out, 'model.onnx'), buildGpt2Graph(weights, config));
  writeFileSync(path.join(out, 'model_weights.safetensors'), gpt2AnalysisWeights(weights, config));
  copyFileSync(path.join(hfFolder, 'tokenizer.json'), path.join(out, 'tokenizer.json'));
  const model = gpt2ManifestModel(config, { onnx: 'model.onnx', weights: 'model_weights.safetensors' });

  const saes: ManifestSae[] = [];
  for (const folder of opts.saes) {
    const cfgBytes = readFileSync(path.join(folder, 'cfg.json'));
    const files = saeFilesFromMap(folder, { 'cfg.json': new Uint8Array(cfgBytes), [SAELENS_WEIGHTS]: new Uint8Array(readFileSync(path.join(folder, SAELENS_WEIGHTS))) });
    const id = path.basename(path.resolve(folder));
    const sae = await loadSaeLens(files, { id });
    const width = hookWidth(model, sae.hookName);
    if (!model.hooks.includes(sae.hookName) || width !== sae.dIn) {
      throw new Error(`${folder}: reads ${sae.hookName} with d_in ${sae.dIn}, which this model does not have (${width ?? 'no such hook'}).`);
    }
    const problem = processingMismatch(processing, saeTrainingProcessing('saelens', JSON.parse(cfgBytes.toString('utf8')) as Record<string, unknown>), sae.hookName);
    if (problem) throw new Error(`${folder}: ${problem.replace('Open the model with', 'Convert with --processing from')}`);
    mkdirSync(path.join(out, 'saes', id), { recursive: true });
    for (const name of ['cfg.json', SAELENS_WEIGHTS]) copyFileSync(path.join(folder, name), path.join(out, 'saes', id, name));
    saes.push({ id, path: `saes/${id}`, hook_name: sae.hookName, architecture: sae.architecture, d_in: sae.dIn, d_sae: sae.dSae, kind: saeKindOfHook(sae.hookName), layer: layerOfHook(sae.hookName) ?? 0, title: sae.title });
  }

  const manifest: Manifest = { format: 'sae-explorer-bundle', version: 1, name: opts.name ?? path.basename(path.resolve(out)), model, tokenizer: 'tokenizer.json', saes };
  const checked = ['model.onnx', 'model_weights.safetensors', 'tokenizer.json', ...saes.flatMap((s) => [`${s.path}/cfg.json`, `${s.path}/${SAELENS_WEIGHTS}`])];
  if (opts.corpus) {
    const seqLen = Math.min(opts.seqLen ?? 128, config.nCtx);
    const raw = readFileSync(opts.corpus, 'utf8');
    // The bundle's own held-out text (JSON lines by source) keeps its sources; plain text is one document.
    const docs = opts.corpus.endsWith('.jsonl') ? parseCorpusDocuments(raw, opts.corpus) : [{ source: path.basename(opts.corpus), text: raw }];
    const { corpus, sources } = windowsOfDocuments(tokenizer, docs, { seqLen, bos: config.bosTokenId, ...(opts.maxSeqs !== undefined ? { maxSeqs: opts.maxSeqs } : {}) });
    if (corpus.nSeqs === 0) throw new Error(`${opts.corpus} is too short for one sequence of ${seqLen} tokens.`);
    mkdirSync(path.join(out, 'data'), { recursive: true });
    const ids = new DataView(new ArrayBuffer(corpus.ids.length * 2));
    corpus.ids.forEach((id, i) => ids.setUint16(2 * i, id, true));
    writeFileSync(path.join(out, HELDOUT_IDS), new Uint8Array(ids.buffer));
    writeFileSync(path.join(out, HELDOUT_TEXT), docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    manifest.data = { heldout: { path: HELDOUT_IDS, dtype: 'uint16', seq_len: seqLen, n_seqs: corpus.nSeqs, sources, text: HELDOUT_TEXT } };
    checked.push(HELDOUT_IDS, HELDOUT_TEXT);
  }
  manifest.files = Object.fromEntries(
    checked.map((p) => {
      const bytes = readFileSync(path.join(out, p));
      return [p, { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }];
    }),
  );
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

function parseArgs(argv: string[]): { hf: string; out: string; opts: ConvertOptions } {
  const [hf, out, ...rest] = argv;
  const usage = 'usage: npx tsx scripts/hf-to-bundle.ts <hf-folder> <out> --sae <folder> [--sae …] [--corpus text.txt] [--seq-len 128] [--max-seqs N] [--processing P] [--name N]';
  if (!hf || !out || !existsSync(path.join(hf, 'config.json'))) throw new Error(usage);
  const opts: ConvertOptions = { saes: [] };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(usage);
    if (flag === '--sae') opts.saes.push(value);
    else if (flag === '--corpus') opts.corpus = value;
    else if (flag === '--seq-len') opts.seqLen = Number(value);
    else if (flag === '--max-seqs') opts.maxSeqs = Number(value);
    else if (flag === '--processing') opts.processing = value;
    else if (flag === '--name') opts.name = value;
    else throw new Error(`${flag}? ${usage}`);
  }
  return { hf, out, opts };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { hf, out, opts } = parseArgs(process.argv.slice(2));
  convertHfToBundle(hf, out, opts)
    .then((m) => console.log(`wrote ${out}: ${m.saes.length} SAEs, ${m.data?.heldout?.n_seqs ?? 0} held-out sequences; next: npx tsx scripts/precompute-dashboards.ts ${out}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
