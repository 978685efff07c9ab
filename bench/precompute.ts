/**
 * Precompute throughput: the dashboard statistics of one SAE over a slice of the held-out corpus,
 * computed by the engine (src/engine/analysis, as scripts/precompute-dashboards.ts runs it) and by
 * a batched PyTorch implementation of the same statistics (bench/precompute_torch.py), on the same
 * SAE and the same hook activations, in the same run. Both start from the hook activations (the
 * model's forward pass is shared and not timed) and end with every statistic of every feature.
 *
 *   npx tsx bench/precompute.ts [bundle-dir] [--sae ID] [--seqs N]
 *
 * Prints both throughputs in corpus tokens × features per second and their ratio.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDashboards, DEFAULT_SETTINGS } from '../src/engine/analysis/buildDashboards';
import { sequence } from '../src/engine/analysis/corpus';
import { loadBundleCorpus } from '../src/engine/analysis/precomputeDashboards';
import { SaeStatsAccumulator } from '../src/engine/analysis/saeStatsAccumulator';
import { Engine } from '../src/engine/engine';
import { SaeEncoder } from '../src/engine/sae/saeEncoder';
import { resolveModelBundle } from '../vite-plugins/modelBundle';

const PYTHON = '/usr/bin/python3';
const BATCH_SEQS = 16;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface TorchResult {
  seconds: number;
  tokens: number;
  features: number;
  n_active: number[];
  max: number[];
  top_seq: number[];
  top_logit: number[];
  neighbour: number[];
  correlated: number[];
}

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const bundleDir = path.resolve(positional[0] ?? resolveModelBundle(process.cwd()).dir);
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { manifest } = engine;
  const info = manifest.saes.find((s) => s.id === option('--sae')) ?? manifest.saes.find((s) => s.architecture === 'topk' && s.kind === 'resid') ?? manifest.saes[0]!;
  const { corpus } = await loadBundleCorpus(engine);
  const nSeqs = Math.min(corpus.nSeqs, Number(option('--seqs') ?? 512));
  const T = nSeqs * corpus.seqLen;
  const sae = await engine.sae(info.id);
  console.log(`${manifest.name} · ${info.id} (${info.architecture}, d_sae ${sae.dSae}) · ${nSeqs} sequences × ${corpus.seqLen} = ${T} tokens`);

  // The shared, untimed part: hook activations from the model.
  const acts = new Float32Array(T * sae.dIn);
  for (let s = 0; s < nSeqs; s += BATCH_SEQS) {
    const seqs = Array.from({ length: Math.min(BATCH_SEQS, nSeqs - s) }, (_, i) => sequence(corpus, s + i));
    const out = await engine.model.runBatch(seqs, [sae.hookName]);
    acts.set(out.hooks[sae.hookName]!.data as Float32Array, s * corpus.seqLen * sae.dIn);
  }
  const weights = await engine.modelWeights();
  const tokenText = (id: number) => engine.tokenizer.tokenText(id);

  // The engine: encoder (ONNX) + sparse statistics + weight-side products (ONNX).
  const encoder = await SaeEncoder.create(sae);
  await encoder.encode(acts.subarray(0, corpus.seqLen * sae.dIn), corpus.seqLen); // warm-up
  const started = performance.now();
  const acc = new SaeStatsAccumulator(encoder, sae.dSae, corpus.seqLen);
  const chunk = BATCH_SEQS * corpus.seqLen;
  for (let t = 0; t < T; t += chunk) {
    const n = Math.min(chunk, T - t);
    await acc.add(acts.subarray(t * sae.dIn, (t + n) * sae.dIn), n, t);
  }
  const built = await buildDashboards(
    { ...sae, kind: info.kind, layer: info.layer },
    acc.finish(),
    weights,
    { dModel: manifest.model.d_model, dVocab: manifest.model.d_vocab },
    { ...corpus, nSeqs },
    tokenText,
    DEFAULT_SETTINGS,
  );
  const engineSeconds = (performance.now() - started) / 1000;

  // PyTorch on the same activations.
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-precompute-'));
  try {
    const actsFile = path.join(dir, 'acts.f32');
    writeFileSync(actsFile, new Uint8Array(acts.buffer));
    const job = {
      acts: actsFile,
      corpus: path.join(bundleDir, manifest.data!.heldout!.path),
      seq_len: corpus.seqLen,
      n_seqs: nSeqs,
      sae_dir: path.join(bundleDir, info.path),
      weights: path.join(bundleDir, manifest.model.weights),
      kind: info.kind,
      layer: info.layer,
      settings: DEFAULT_SETTINGS,
    };
    const jobFile = path.join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job));
    const run = spawnSync(PYTHON, [path.join(import.meta.dirname, 'precompute_torch.py'), jobFile], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`the PyTorch reference failed:\n${run.stderr}`);
    const torch = JSON.parse(run.stdout.trim().split('\n').pop()!) as TorchResult;

    // The two must have computed the same thing before their speeds mean anything.
    const d = built.dashboards;
    const activeDiff = d.reduce((s, f, i) => s + Math.abs(f.nActive - torch.n_active[i]!), 0);
    const activeTotal = torch.n_active.reduce((a, b) => a + b, 0);
    const maxDiff = Math.max(...d.map((f, i) => Math.abs(f.maxAct - torch.max[i]!)));
    const agree = (mine: (f: (typeof d)[number]) => number, theirs: number[], live = true) => {
      const pairs = d.map((f, i) => [mine(f), theirs[i]!] as const).filter(([, t], i) => !live || (torch.n_active[i]! > 0 && t >= 0));
      return pairs.filter(([a, b]) => a === b).length / Math.max(1, pairs.length);
    };
    const topSeq = agree((f) => Math.floor((f.groups[0]?.examples[0]?.token ?? -1) / corpus.seqLen), torch.top_seq);
    const topLogit = agree((f) => f.logits.positive[0]?.id ?? -1, torch.top_logit, false);
    const neighbour = agree((f) => f.neighbours[0]?.index ?? -1, torch.neighbour, false);
    const correlated = agree((f) => f.correlated[0]?.index ?? -1, torch.correlated);

    const rate = (seconds: number) => (T * sae.dSae) / seconds;
    console.log(`agreement: active counts differ on ${activeDiff} of ${activeTotal} (${((100 * activeDiff) / activeTotal).toFixed(3)}%), max |Δ max act| ${maxDiff.toExponential(2)}`);
    console.log(`           same top sequence ${(100 * topSeq).toFixed(1)}% · top logit ${(100 * topLogit).toFixed(1)}% · nearest neighbour ${(100 * neighbour).toFixed(1)}% · most correlated ${(100 * correlated).toFixed(1)}%`);
    console.log(`engine  (ORT wasm, 1 thread + TS):     ${engineSeconds.toFixed(2)} s  ${(rate(engineSeconds) / 1e6).toFixed(1)} M token·features/s`);
    console.log(`PyTorch (${'batched, dense'}):              ${torch.seconds.toFixed(2)} s  ${(rate(torch.seconds) / 1e6).toFixed(1)} M token·features/s`);
    console.log(`ratio engine/PyTorch throughput: ${(torch.seconds / engineSeconds).toFixed(2)}×`);
    if (activeDiff > 0.001 * activeTotal || topLogit < 0.99 || neighbour < 0.99) {
      throw new Error('the engine and PyTorch disagree: the timing compares different computations.');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await encoder.release();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
