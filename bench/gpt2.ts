/**
 * A GPT-2-small-sized model (random weights of GPT-2 small's shapes: 12 layers, d_model 768, 12
 * heads, 1,024 positions, 50,257 tokens; 124M parameters, fp32 file) opened from Hugging Face files:
 * how long building the hooked graph takes (reading and processing the weights as TransformerLens
 * does, writing the ONNX graph, creating the onnxruntime session) and the peak memory; then the
 * forward pass of 128 tokens on onnxruntime-web's wasm backend against PyTorch eager
 * (bench/torch_gpt2.py) on the same weights and processing, rounds alternating in the same run.
 *
 *   npx tsx bench/gpt2.ts [--rounds N] [--threads T]            in Node (the engine's own code)
 *   npx tsx bench/gpt2.ts --browser [--rounds N] [--threads T]  in Debian's Chromium (tools/gpt2-bench.html);
 *                                                                peak memory: the browser's processes' resident sum
 * The browser run rewrites the "GPT-2-small-sized model" section of docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { hfManifest } from '../src/engine/bundle/hfFolder';
import type { HfManifest } from '../src/engine/bundle/hfFolder';
import { buildGpt2Graph } from '../src/engine/model/gpt2Graph';
import { readGpt2Weights } from '../src/engine/model/gpt2Weights';
import { HookedModel } from '../src/engine/model/hookedModel';
import { processWeights } from '../src/engine/model/weightProcessing';
import { initRuntime } from '../src/engine/runtime';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import type { Gpt2BenchReady } from '../tools/bench/gpt2';
import { median, option, publishSection, runBenchmark, utcMinute } from './benchmarksDoc';
import { GPT2_SMALL_FOLDER, writeGpt2Small } from './gpt2Small';
import { buildSite, freePort, startPreview } from './previewServer';

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDER = GPT2_SMALL_FOLDER;
const TOKENS = 128;

/** One PyTorch forward of `ids` on the folder's weights, in milliseconds (a fresh process: it never shares the CPU with ours). */
function torchRound(ids: number[]): number {
  const idsFile = path.join(FOLDER, 'ids.json');
  writeFileSync(idsFile, JSON.stringify(ids));
  const py = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench/torch_gpt2.py'), FOLDER, idsFile, '--repeats', '1'], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`torch_gpt2.py failed: ${py.stderr}`);
  return (JSON.parse(py.stdout.trim().split('\n').pop()!) as { ms: number[] }).ms[0]!;
}

interface Measured {
  where: string;
  steps: { fetchMs: number; processMs: number; graphMs: number; sessionMs: number; graphBytes: number };
  peakBytes: number;
  ours: number[];
  torch: number[];
}

async function inNode(rounds: number, threads: number): Promise<Measured> {
  await initRuntime('wasm', threads);
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const manifest = hfManifest(JSON.parse(readFileSync(path.join(FOLDER, 'config.json'), 'utf8')), `file://${FOLDER}/`) as HfManifest;
  const { config, processing } = manifest.hf;
  const t0 = performance.now();
  const bytes = new Uint8Array(readFileSync(path.join(FOLDER, 'model.safetensors')));
  const t1 = performance.now();
  const weights = processWeights(await readGpt2Weights(bytes, config), config, processing);
  const t2 = performance.now();
  const graph = buildGpt2Graph(weights, config);
  const t3 = performance.now();
  const model = await HookedModel.create(graph, manifest.model);
  const t4 = performance.now();
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  const ids = Array.from({ length: TOKENS }, (_, i) => (i * 7919) % config.dVocab);
  await model.run(ids); // onnxruntime plans and allocates on the first run
  const ours: number[] = [];
  const torch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await model.run(ids);
    ours.push(performance.now() - start);
    torch.push(torchRound(ids));
  }
  const steps = { fetchMs: t1 - t0, processMs: t2 - t1, graphMs: t3 - t2, sessionMs: t4 - t3, graphBytes: graph.byteLength };
  return { where: `Node, onnxruntime-web wasm, ${threads} threads`, steps, peakBytes: peak, ours, torch };
}

/** Resident bytes of this process's descendants whose command names chromium (the browser, its renderers, GPU and utility processes). */
function chromiumRss(): number {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const inTree = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, pp] of rows) if (!inTree.has(Number(p)) && inTree.has(Number(pp))) grew = inTree.add(Number(p)).size > 0;
  }
  return rows.filter(([p, , , comm]) => inTree.has(Number(p)) && /chrom/i.test(comm ?? '')).reduce((sum, [, , rss]) => sum + Number(rss) * 1024, 0);
}

async function inChromium(rounds: number, threads: number): Promise<Measured> {
  const outDir = 'build/bench-gpt2-tools';
  buildSite('tools', outDir, ['gpt2-bench.html'], process.argv.includes('--reuse-dist'));
  const served = path.join(ROOT, outDir, 'gpt2-small');
  rmSync(served, { force: true, recursive: true });
  symlinkSync(FOLDER, served);
  const port = await freePort();
  const server = await startPreview('tools', outDir, port, 'gpt2-bench.html');
  try {
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      let peak = 0;
      const sample = setInterval(() => (peak = Math.max(peak, chromiumRss())), 250);
      await page.goto(`http://127.0.0.1:${port}/gpt2-bench.html?model=gpt2-small/&threads=${threads}&tokens=${TOKENS}`);
      await page.waitForFunction(() => window.__gpt2Ready !== undefined, null, { timeout: 20 * 60_000, polling: 1000 });
      clearInterval(sample);
      const ready = (await page.evaluate(() => window.__gpt2Ready)) as Gpt2BenchReady | { error: string };
      if ('error' in ready) throw new Error(`gpt2-bench.html failed: ${ready.error}`);
      const ours: number[] = [];
      const torch: number[] = [];
      for (let r = 0; r < rounds; r++) {
        ours.push(await page.evaluate(() => window.__gpt2Round!()));
        torch.push(torchRound(ready.ids));
      }
      const { fetchMs, processMs, graphMs, sessionMs, graphBytes } = ready;
      return { where: `Chromium, onnxruntime-web wasm, ${ready.backend.threads} threads${ready.crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`, steps: { fetchMs, processMs, graphMs, sessionMs, graphBytes }, peakBytes: peak, ours, torch };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
}

async function main(): Promise<void> {
  const rounds = Number(option('--rounds') ?? 3);
  const threads = Number(option('--threads') ?? 2);
  const loadBefore = loadavg()[0]!;
  writeGpt2Small();
  const m = process.argv.includes('--browser') ? await inChromium(rounds, threads) : await inNode(rounds, threads);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const flags = [...new Set(readFileSync('/proc/cpuinfo', 'utf8').match(/\b(avx512f|avx2)\b/g) ?? [])].join(', ');
  const { fetchMs, processMs, graphMs, sessionMs, graphBytes } = m.steps;
  const loadAfter = loadavg()[0]!;
  const ratio = median(m.ours) / median(m.torch);
  const lines = [
    SECTION,
    '',
    `Measured ${utcMinute()} by \`npx tsx bench/gpt2.ts${process.argv.includes('--browser') ? ' --browser' : ''}\`` +
      (loadBefore > 1.5 ? ' — **measured on a loaded machine** (other work shared the cores).' : '.'),
    '',
    `- Model: random weights of GPT-2 small's shapes (12 layers, d_model 768, 12 heads, 1,024 positions, 50,257 tokens; 124M parameters), ` +
      "as Hugging Face files; processed as TransformerLens's defaults (fold_ln, center_writing_weights, center_unembed, fold_value_biases).",
    `- Where: ${m.where}; ${cpus().length} cores, ${flags}; 1-min load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after.`,
    `- Building: read the file ${s(fetchMs)}, read + process the weights ${s(processMs)}, build the hooked ONNX graph ${s(graphMs)} ` +
      `(${(graphBytes / 1e6).toFixed(0)} MB), create the session ${s(sessionMs)}: **${s(processMs + graphMs + sessionMs)}** from bytes to session; ` +
      `peak resident memory while building ${(m.peakBytes / 1024 ** 3).toFixed(2)} GiB.`,
    `- Forward pass of ${TOKENS} tokens, ${m.ours.length} rounds alternating with PyTorch eager on the same weights and processing: ours ` +
      `${s(median(m.ours))} [${m.ours.map((x) => x.toFixed(0)).join(', ')} ms], PyTorch ${s(median(m.torch))} ` +
      `[${m.torch.map((x) => x.toFixed(0)).join(', ')} ms]: **${ratio.toFixed(2)}×** PyTorch's time; target ≤ 1.5× on wasm: **${ratio <= 1.5 ? 'met' : 'missed'}**.`,
    '',
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--browser')) publishSection(SECTION, lines);
}

const SECTION = '## GPT-2-small-sized model from Hugging Face files: building the graph, and the forward pass vs PyTorch';

runBenchmark(main);
