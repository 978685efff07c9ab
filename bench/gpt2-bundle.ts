/**
 * How large a static bundle of GPT-2 small with its public SAEs is, and how long it takes to make
 * (docs/GPT2.md, "A static bundle"): scripts/hf-to-bundle.ts and scripts/precompute-dashboards.ts
 * run on random weights of GPT-2 small's shapes (bench/gpt2Small.ts) with two SAEs of
 * gpt2-small-res-jb's shape (d_in 768, d_sae 24,576 at blocks.{4,8}.hook_resid_pre; TopK with k 32,
 * so that they are as sparse as trained ones), over the bundle's held-out text. The precompute
 * runs three times — one SAE over N/2 and N sequences, both SAEs over N — which splits each stage into
 * what is paid once (loading, the weights-only analyses, the latent map) and what each token costs
 * (the model's share of the corpus pass and each SAE's); the figures are then scaled to a release of
 * 12 SAEs over a corpus of 200,000 tokens.
 *
 *   npm run bench:gpt2-bundle [-- --seqs N]      rewrites docs/BENCHMARKS.md's section
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { convertHfToBundle } from '../scripts/hf-to-bundle';
import { encodeSafetensors } from '../tools/testing/safetensorsWriter';
import { option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { GPT2_SMALL_FOLDER, writeGpt2Small } from './gpt2Small';

const ROOT = path.resolve(import.meta.dirname, '..');
const SAES_DIR = path.join(ROOT, 'build/bench-gpt2-small-saes');
const OUT = path.join(ROOT, 'build/bench-gpt2-bundle');
const D_IN = 768;
const D_SAE = 24_576;
const LAYERS = [4, 8];
const RELEASE_SAES = 12;
const RELEASE_TOKENS = 200_000;

/** A SAELens folder with seeded random weights of gpt2-small-res-jb's shape. */
function writeSae(layer: number): string {
  const dir = path.join(SAES_DIR, `blocks.${layer}.hook_resid_pre`);
  if (existsSync(path.join(dir, 'sae_weights.safetensors'))) return dir;
  mkdirSync(dir, { recursive: true });
  let s = 1000 + layer;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * (2 / Math.sqrt(D_IN));
  };
  const wEnc = Float32Array.from({ length: D_IN * D_SAE }, rand);
  const wDec = new Float32Array(D_SAE * D_IN);
  for (let i = 0; i < D_IN; i++) for (let j = 0; j < D_SAE; j++) wDec[j * D_IN + i] = wEnc[i * D_SAE + j]!;
  writeFileSync(
    path.join(dir, 'cfg.json'),
    JSON.stringify({ architecture: 'topk', d_in: D_IN, d_sae: D_SAE, dtype: 'float32', model_name: 'gpt2-small', hook_name: `blocks.${layer}.hook_resid_pre`, hook_layer: layer, apply_b_dec_to_input: true, normalize_activations: 'none', context_size: 128, prepend_bos: true, k: 32, activation_fn_kwargs: { k: 32 } }),
  );
  writeFileSync(
    path.join(dir, 'sae_weights.safetensors'),
    encodeSafetensors({ W_enc: { shape: [D_IN, D_SAE], data: wEnc }, b_enc: { shape: [D_SAE], data: new Float32Array(D_SAE) }, W_dec: { shape: [D_SAE, D_IN], data: wDec }, b_dec: { shape: [D_IN], data: new Float32Array(D_IN) } }),
  );
  return dir;
}

interface PrecomputeRun {
  /** seconds from the start to the end of the corpus pass, then assembling, then the latent maps */
  corpus: number;
  assemble: number;
  map: number;
  total: number;
}

/** scripts/precompute-dashboards.ts on `saeIds`, its stages timed from the elapsed seconds it prints. */
function precompute(saeIds: string[], nSeqs: number): PrecomputeRun {
  const args = ['tsx', 'scripts/precompute-dashboards.ts', OUT, '--sae', saeIds.join(','), '--max-seqs', String(nSeqs), '--budget-mb', '100000'];
  const run = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`precompute-dashboards failed:\n${run.stdout}\n${run.stderr}`);
  const at = (pattern: RegExp) => Number(pattern.exec(run.stdout)?.[1] ?? NaN);
  const assembling = at(/\[(\d+) s\] assembling/);
  const mapping = at(/\[(\d+) s\] latent map of/);
  const total = at(/wrote dashboards of \d+ SAEs in ([\d.]+) s/);
  // The first SAE's assembling runs from its "assembling" line to its "latent map" line, its map to the next line printed.
  const afterMap = at(/latent map of[^\n]*\n[^[]*\[(\d+) s\]/);
  return { corpus: assembling, assemble: mapping - assembling, map: (Number.isNaN(afterMap) ? total : afterMap) - mapping, total };
}

function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(path.join(e.parentPath, e.name)).size, 0);
}

async function main(): Promise<void> {
  const nSeqs = Number(option('--seqs') ?? 32);
  const loadBefore = loadavg()[0]!;
  writeGpt2Small();
  const saeDirs = LAYERS.map(writeSae);
  rmSync(OUT, { recursive: true, force: true });
  const t0 = performance.now();
  const manifest = await convertHfToBundle(GPT2_SMALL_FOLDER, OUT, { saes: saeDirs, corpus: path.join(ROOT, 'models/explorer-4l/data/heldout.jsonl'), seqLen: 128, maxSeqs: nSeqs, name: 'gpt2-small-sized' });
  const convertS = (performance.now() - t0) / 1000;
  const ids = manifest.saes.map((s) => s.id);
  const half = precompute(ids.slice(0, 1), nSeqs / 2);
  const one = precompute(ids.slice(0, 1), nSeqs);
  const both = precompute(ids, nSeqs);
  const tokens = nSeqs * 127;
  // Per token: the model and one SAE together, from the two sizes; one SAE alone, from the two SAE counts.
  const passPerToken = (one.corpus - half.corpus) / (tokens / 2);
  const saePerToken = (both.corpus - one.corpus) / tokens;
  const modelPerToken = passPerToken - saePerToken;
  const startup = one.corpus - passPerToken * tokens;
  const assemblePerToken = (one.assemble - half.assemble) / (tokens / 2);
  const assembleOnce = one.assemble - assemblePerToken * tokens;
  const size = (p: string) => statSync(path.join(OUT, p)).size;
  const modelBytes = size('model.onnx') + size('model_weights.safetensors');
  const saeBytes = bytesUnder(path.join(OUT, manifest.saes[0]!.path));
  const dashBytes = bytesUnder(path.join(OUT, 'dashboards', ids[0]!));
  const T = RELEASE_TOKENS;
  const releaseS = convertS + startup + modelPerToken * T + RELEASE_SAES * (saePerToken * T + assembleOnce + assemblePerToken * T + one.map);
  const releaseBytes = modelBytes + RELEASE_SAES * (saeBytes + dashBytes);
  const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
  const s = (x: number) => `${x.toFixed(1)} s`;
  const ms = (x: number) => `${(x * 1000).toFixed(2)} ms`;
  const lines = [
    SECTION,
    '',
    `Measured ${utcMinute()} by \`npm run bench:gpt2-bundle -- --seqs ${nSeqs}\`` + (loadBefore > 1.5 ? ' — **measured on a loaded machine** (other work shared the cores).' : '.'),
    '',
    `- Input: random weights of GPT-2 small's shapes (124M parameters, fp32 Hugging Face files, TransformerLens's default processing) and ${ids.length} ` +
      `SAEs of gpt2-small-res-jb's shape (d_in ${D_IN}, d_sae ${D_SAE.toLocaleString('en-US')}, fp32; TopK k 32) over sequences of 128 tokens ` +
      `of the bundle's held-out text; ${cpus().length} cores, 1-min load average ${loadBefore.toFixed(1)} before.`,
    `- \`hf-to-bundle\`: **${s(convertS)}**; model.onnx ${mb(size('model.onnx'))}, model_weights.safetensors ${mb(size('model_weights.safetensors'))}, each SAE ${mb(saeBytes)}.`,
    `- \`precompute-dashboards\` over ${nSeqs / 2} and ${nSeqs} sequences with one SAE, ${nSeqs} with both: corpus pass (loading included) ${s(half.corpus)}, ${s(one.corpus)}, ${s(both.corpus)}; ` +
      `assembling the first SAE's dashboards ${s(half.assemble)}, ${s(one.assemble)}; its latent map ${s(half.map)}, ${s(one.map)}; in all ${s(half.total)}, ${s(one.total)}, ${s(both.total)}.`,
    `- Split: loading ${s(startup)} once; the model ${ms(modelPerToken)} a token; each SAE ${ms(saePerToken)} a token in the pass, ${s(assembleOnce)} of weights-only work ` +
      `(logit effects over 50,257 tokens, decoder neighbours) plus ${ms(assemblePerToken)} a token to assemble, and ${s(one.map)} for its latent map; its dashboards ${mb(dashBytes)} here.`,
    `- **Scaled to a release of ${RELEASE_SAES} such SAEs over ${T.toLocaleString('en-US')} tokens**: about **${(releaseS / 3600).toFixed(1)} hours** of this machine, ` +
      `and **${(releaseBytes / 1e9).toFixed(1)} GB** (the model ${mb(modelBytes)}, the SAEs ${mb(RELEASE_SAES * saeBytes)}; the dashboards' examples grow with the corpus, so their share is a floor).`,
    '',
  ];
  console.log(lines.join('\n'));
  publishSection(SECTION, lines);
}

const SECTION = '## A static bundle of a GPT-2-small-sized model with public-SAE-sized SAEs: size and time';

runBenchmark(main);
