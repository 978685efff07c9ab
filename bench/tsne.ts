/**
 * Our t-SNE (src/engine/tsne) against scikit-learn's Barnes-Hut t-SNE and against tsne-js, on the
 * same vectors in the same run: the bundle's decoder directions, normalised and reduced by our PCA
 * to 50 dimensions, then handed to each implementation with the same settings (perplexity 30,
 * 1,000 iterations, early exaggeration 12 for 250, PCA init, θ 0.5).
 *
 *   npx tsx bench/tsne.ts [--tsnejs-points 512] [--skip-sklearn]
 *
 * Sets: 2,048 latents (L2-resid-topk) and 12,288 (the six L2 residual SAEs: the joint map). KL is
 * KL(P ‖ Q) computed by our code for both layouts against the same P (scikit-learn's own figure,
 * a Barnes-Hut estimate over its own P, is printed beside it). tsne-js is exact O(n²): it is timed
 * on the first --tsnejs-points latents only, against ours on the same subset. Rewrites the "t-SNE"
 * section of docs/BENCHMARKS.md; the figures mean little on a busy machine (the load is recorded).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import TSNE from 'tsne-js';
import { readSafetensors } from '../src/engine/sae/safetensors';
import { sparseAffinities } from '../src/engine/tsne/affinities';
import { unitDirections, type Directions } from '../src/engine/tsne/directions';
import { DEFAULT_TSNE, klDivergence, tsne } from '../src/engine/tsne/tsne';
import { resolveModelBundle } from '../tools/modelBundleDir';
import { option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { ROOT } from './previewServer';

const OUT = path.join(ROOT, 'build/bench-tsne');
const L2_RESID = ['L2-resid-topk', 'L2-resid-standard', 'L2-resid-jumprelu', 'L2-resid-batchtopk', 'L2-resid-abstopk', 'L2-resid-matching_pursuit'];

async function decoderRows(bundleDir: string, saeIds: string[]): Promise<{ rows: Float32Array; n: number; d: number }> {
  const parts: Float32Array[] = [];
  let d = 0;
  for (const id of saeIds) {
    const tensors = await readSafetensors(new Uint8Array(readFileSync(path.join(bundleDir, 'saes', id, 'sae_weights.safetensors'))));
    const W = tensors.get('W_dec') as { shape: number[]; data: Float32Array };
    d = W.shape[1]!;
    parts.push(W.data);
  }
  const rows = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) rows.set(p, (at += p.length) - p.length);
  return { rows, n: rows.length / d, d };
}

function subset(points: Directions, m: number): Directions {
  return { n: m, dims: points.dims, coords: points.coords.slice(0, m * points.dims) };
}

interface Timed {
  /** wall clock */
  seconds: number;
  /** CPU time of the process, all its threads: fairer than the wall clock when others share the cores */
  cpuSeconds: number;
}

async function ours(points: Directions): Promise<Timed & { xy: Float64Array; kl: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { xy, kl } = await tsne(points, DEFAULT_TSNE);
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, xy: Float64Array.from(xy), kl };
}

function sklearn(points: Directions, name: string): Timed & { xy: Float64Array; ownKl: number; version: string; threads: number } {
  const input = path.join(OUT, `${name}.f64`);
  const output = path.join(OUT, `${name}.sklearn.f64`);
  writeFileSync(input, new Uint8Array(points.coords.buffer, points.coords.byteOffset, points.coords.byteLength));
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench/tsne_sklearn.py'), input, String(points.n), String(points.dims), output], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scikit-learn's t-SNE failed (is python3-sklearn installed?):\n${r.stderr}`);
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Timed & { kl: number; version: string; openmpThreads: number };
  const bytes = readFileSync(output);
  return { seconds: report.seconds, cpuSeconds: report.cpuSeconds, xy: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8), ownKl: report.kl, version: report.version, threads: report.openmpThreads };
}

function tsneJs(points: Directions): number {
  const data = Array.from({ length: points.n }, (_, i) => Array.from(points.coords.subarray(i * points.dims, (i + 1) * points.dims)));
  const started = performance.now();
  const model = new TSNE({ dim: 2, perplexity: 30, earlyExaggeration: 12, learningRate: 100, nIter: 1000, metric: 'euclidean' });
  model.init({ data, type: 'dense' });
  model.run();
  return (performance.now() - started) / 1000;
}

const f = (v: number, digits = 2) => v.toFixed(digits);

runBenchmark(async () => {
  mkdirSync(OUT, { recursive: true });
  const bundle = resolveModelBundle(ROOT);
  const jsPoints = Number(option('--tsnejs-points') ?? 512);
  const load = loadavg()[0]!;
  const lines = [
    '## t-SNE',
    '',
    `\`npx tsx bench/tsne.ts\` · ${utcMinute()} · ${cpus().length} cores (${cpus()[0]?.model.trim()}) · load average ${f(load)} at the start` +
      (load > 1 ? ' — **measured on a loaded machine**: other work shared the cores, so the times are noisy' : ''),
    '',
    'Same vectors, same settings (perplexity 30, 1,000 iterations, exaggeration 12 for 250, PCA init, θ 0.5): decoder directions normalised and reduced to 50 dimensions by our PCA, then given to each. KL(P‖Q) of each final layout is computed by our code against the same P; scikit-learn’s own estimate in brackets. Ours runs on one thread; scikit-learn’s gradient uses OpenMP threads. Times are wall clock and CPU time of the process (all its threads): on a shared machine the CPU time is the fairer comparison.',
    '',
    '| latents | PCA (ours) | ours: wall / CPU | scikit-learn: wall / CPU | ratio ours / sklearn: wall / CPU | KL ours | KL sklearn | KL ratio |',
    '|---|---|---|---|---|---|---|---|',
  ];
  let firstSet: Directions | null = null;
  for (const { name, ids } of [
    { name: '2048', ids: ['L2-resid-topk'] },
    { name: '12288', ids: L2_RESID },
  ]) {
    const { rows, n, d } = await decoderRows(bundle.dir, ids);
    const pcaStarted = performance.now();
    const points = unitDirections(rows, n, d, name);
    const pcaSeconds = (performance.now() - pcaStarted) / 1000;
    firstSet ??= points;
    console.error(`[bench] ${n} latents: ours…`);
    const mine = await ours(points);
    console.error(`[bench] ${n} latents: ours ${f(mine.seconds)} s; scikit-learn…`);
    const ref = sklearn(points, name);
    console.error(`[bench] ${n} latents: scikit-learn ${f(ref.seconds)} s`);
    const P = await sparseAffinities(points, DEFAULT_TSNE.perplexity);
    const klOurs = klDivergence(P, mine.xy, n, DEFAULT_TSNE.theta);
    const klRef = klDivergence(P, ref.xy, n, DEFAULT_TSNE.theta);
    lines.push(
      `| ${n.toLocaleString('en')} (${ids.length === 1 ? ids[0] : `${ids.length} L2 residual SAEs`}) | ${f(pcaSeconds)} s | ${f(mine.seconds)} / ${f(mine.cpuSeconds)} s | ${f(ref.seconds)} / ${f(ref.cpuSeconds)} s (${ref.version}, ${ref.threads} threads) | **${f(mine.seconds / ref.seconds)}×** / **${f(mine.cpuSeconds / ref.cpuSeconds)}×** | ${f(klOurs, 3)} | ${f(klRef, 3)} (${f(ref.ownKl, 3)}) | ${f(klOurs / klRef, 3)} |`,
    );
  }
  const sub = subset(firstSet!, jsPoints);
  console.error(`[bench] tsne-js on ${jsPoints} latents…`);
  const jsSeconds = tsneJs(sub);
  const mineSub = await ours(sub);
  lines.push(
    '',
    `tsne-js 1.0.3 (exact O(n²), the reference the issue names) on the first ${jsPoints} latents of L2-resid-topk, 1,000 iterations: **${f(jsSeconds)} s** against ours **${f(mineSub.seconds)} s** on the same ${jsPoints}: **${f(jsSeconds / mineSub.seconds, 1)}× faster**. ` +
      `Not run on 2,048 or 12,288: its time grows as n² (×${((2048 / jsPoints) ** 2).toFixed(0)} for 2,048, ≈ ${f((jsSeconds * (2048 / jsPoints) ** 2) / 60, 0)} min extrapolated; ×${((12288 / jsPoints) ** 2).toFixed(0)} for 12,288).`,
  );
  publishSection('## t-SNE', lines);
});
