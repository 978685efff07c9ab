/**
 * Steered generation and splice analysis: onnxruntime-web wasm in Debian's chromium against PyTorch
 * CPU eager on the same weights and the same intervention (bench/torch_steering.py), in the same run,
 * one after the other so they never share the CPU.
 *
 *   npm run bench:steering [-- --reuse-dist] [--rounds R] [--repeats N] [--threads T]
 *
 * The work timed on both sides is what the steering page runs: 64 greedy tokens steered (feature 1654
 * of L2-resid-topk added at 4× its max activation at every token) and 64 unsteered, after a 64-token
 * prompt from the held-out corpus, each continuation then scored by the other model; and the splice
 * analysis of a 256-token text (clean, spliced and zero-ablated runs, per-token error and CE change).
 * Ours decodes with a key/value cache (src/engine/model/cachedModel.ts); the PyTorch model has none,
 * so it re-runs the whole sequence for each token. Greedy decoding lets the driver
 * check that both sides generated the very same tokens. Rewrites the "Steering" section of docs/BENCHMARKS.md.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SteerBenchReady, SteerBenchRound } from '../tools/bench/steering';
import { resolveModelBundle } from '../tools/modelBundleDir';
import { median, option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { runPageRounds } from './pageRounds';
import { ROOT } from './previewServer';

const OUT_DIR = 'build/bench-dist-steering';
const SECTION = '## Steering: generation and splicing, onnxruntime-web wasm vs PyTorch';
const SAE = 'L2-resid-topk';
const FEATURE = 1654;
const STRENGTH = 4;
const TOKENS = 64;

interface TorchReport {
  reference: string;
  by_threads: Record<string, { generate_ms: number[]; splice_ms: number[] }>;
  steered: number[];
  unsteered: number[];
  ce_spliced: number;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** The feature's largest activation on the corpus, from its SAE's dashboard summary. */
function maxActivation(bundleDir: string): number {
  const summary = readFileSync(path.join(bundleDir, 'dashboards', SAE, 'summary.bin'));
  return Math.abs((JSON.parse(gunzipSync(summary.subarray(16)).toString()) as { maxAct: number[] }).maxAct[FEATURE]!);
}

async function main(): Promise<void> {
  const bundle = resolveModelBundle(ROOT);
  const value = STRENGTH * maxActivation(bundle.dir);
  const saePath = (JSON.parse(readFileSync(path.join(bundle.dir, 'manifest.json'), 'utf8')) as { saes: { id: string; path: string }[] }).saes.find((s) => s.id === SAE)!.path;
  const { ready, ours, torch, loadBefore, loadAfter } = await runPageRounds<SteerBenchReady, SteerBenchRound, TorchReport>({
    page: 'steer-bench.html',
    outDir: OUT_DIR,
    bundleDir: bundle.dir,
    query: new URLSearchParams({ sae: SAE, feature: String(FEATURE), value: String(value), tokens: String(TOKENS), prompt: '64', splice: '256' }),
    readyKey: '__steerReady',
    roundKey: '__steerRound',
    torchScript: 'bench/torch_steering.py',
    job: (r) => ({ promptIds: r.promptIds, spliceIds: r.spliceIds, point: r.point, hook: r.hook, saePath, feature: FEATURE, value, tokens: TOKENS }),
    rounds: Math.max(1, Number(option('--rounds') ?? 3)),
    repeats: Number(option('--repeats') ?? 2),
  });
  const rounds = torch.length;
  const repeats = ours.length / rounds;

  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const t0 = torch[0]!;
  const tokensMatch = same(ours[0]!.steeredIds, t0.steered) && same(ours[0]!.unsteeredIds, t0.unsteered);
  const steeredDiffers = !same(ours[0]!.steeredIds, ours[0]!.unsteeredIds);
  const torchBest = (key: 'generate_ms' | 'splice_ms') =>
    ['1', '2'].map((th) => ({ threads: Number(th), ms: median(torch.flatMap((t) => t.by_threads[th]![key])) })).reduce((a, b) => (b.ms < a.ms ? b : a));
  const gen = { ours: median(ours.map((o) => o.generateMs)), torch: torchBest('generate_ms') };
  const spl = { ours: median(ours.map((o) => o.spliceMs)), torch: torchBest('splice_ms') };
  const generated = ours[0]!.steeredIds.length + ours[0]!.unsteeredIds.length;
  const rate = (ms: number) => fmt((ours[0]!.steeredIds.length * 1e3) / ms);
  // The load before the run says whether others were busy; the run itself keeps both cores busy.
  const loaded = loadBefore > 1.5;
  const lines = [
    SECTION,
    '',
    `Measured ${utcMinute()} by \`npm run bench:steering\` on bundle \`${path.relative(ROOT, bundle.dir)}\`` +
      (loaded ? ' — **measured on a loaded machine** (other engineers\' builds and tests were running).' : '.'),
    '',
    `- Work (both sides): feature ${FEATURE} of ${SAE} added at ${STRENGTH}× its max activation (${value.toPrecision(4)}) at every token ` +
      `through \`delta.${ready.point}\`; ${ours[0]!.steeredIds.length} steered and ${ours[0]!.unsteeredIds.length} unsteered greedy tokens after a ` +
      `${ready.promptIds.length}-token prompt (BOS included) from the held-out corpus, generated in turn as the steering page does, then each ` +
      'continuation scored by the other model (one run each). Ours decodes with a key/value cache (each step runs the new token ' +
      'only; `src/engine/model/cachedModel.ts`); PyTorch re-runs the whole sequence for each token, as its model (models/train/model.py) ' +
      'has no cache. Without the cache ours re-ran the whole sequence too and took 3.59× PyTorch\'s time (2026-12-01 14:40, loaded machine).',
    `- Ours: onnxruntime-web ${ready.backend.name} in Debian chromium (headless), ${ready.backend.threads} thread(s), crossOriginIsolated ` +
      `${String(ready.crossOriginIsolated)}, ${ready.cores} logical cores (\`generate\` and \`spliceAnalysis\` of src/engine).`,
    `- Reference: ${t0.reference}, same fp16-rounded weights in fp32, at the better of 1 and 2 threads; the same three runs for the splice ` +
      '(clean, spliced, zero-ablated; ours runs the last two as one batch of two).',
    `- Same tokens: ${tokensMatch ? 'yes — both sides generated the very same steered and unsteered ids' : '**no** — the sides generated different ids'}; ` +
      `steering changed the continuation: ${steeredDiffers ? 'yes' : 'no'}. CE spliced on the 256-token text: ours ${fmt(ours[0]!.ceSpliced, 4)}, PyTorch ${fmt(t0.ce_spliced, 4)}.`,
    `- Rounds: ${rounds}, alternating ours and PyTorch, ${repeats} timed runs per side per round after a warm-up; medians over all runs.`,
    `- Machine: ${cpus().length} cores, 1-min load average ${fmt(loadBefore, 2)} before and ${fmt(loadAfter, 2)} after.`,
    '',
    '| task | ours | PyTorch | ours / PyTorch (time) | target |',
    '|---|---:|---:|---:|---|',
    `| side-by-side generation, ${generated} tokens | ${fmt(gen.ours)} ms (${rate(gen.ours)} steered tok/s) | ${fmt(gen.torch.ms)} ms ` +
      `(${rate(gen.torch.ms)} steered tok/s, ${gen.torch.threads} thr) | **${fmt(gen.ours / gen.torch.ms, 2)}×** (rate ${fmt(gen.torch.ms / gen.ours, 2)}× PyTorch's) | rate ≥ 1.0×: **${gen.ours <= gen.torch.ms ? 'met' : 'missed'}** |`,
    `| splice analysis, ${ready.spliceIds.length} tokens | ${fmt(spl.ours)} ms | ${fmt(spl.torch.ms)} ms (${spl.torch.threads} thr) | **${fmt(spl.ours / spl.torch.ms, 2)}×** | ≤ 1.0×: **${spl.ours <= spl.torch.ms ? 'met' : 'missed'}** |`,
    '',
  ];
  publishSection(SECTION, lines);
}

runBenchmark(main);
