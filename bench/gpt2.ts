/**
 * A GPT-2-small-sized model (random weights of GPT-2 small's shapes: 12 layers, d_model 768, 12
 * heads, 1,024 positions, 50,257 tokens; 124M parameters, fp32 file) opened from Hugging Face files:
 * how long building the hooked graph takes (reading and processing the weights as TransformerLens
 * does, writing the ONNX graph, creating the onnxruntime session) and the process's peak memory;
 * then the forward pass of 128 tokens on onnxruntime-web's wasm backend against PyTorch eager
 * (bench/torch_gpt2.py) on the same weights and processing, rounds alternating in the same run.
 *
 * It runs the engine in Node (onnxruntime-web's wasm build, the code the browser runs), not in
 * Chromium: the browser's tool pages' build config was being edited by others when this was written.
 *   npx tsx bench/gpt2.ts [--rounds N] [--threads T]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { hfManifest } from '../src/engine/bundle/hfFolder';
import type { HfManifest } from '../src/engine/bundle/hfFolder';
import { buildGpt2Graph } from '../src/engine/model/gpt2Graph';
import { readGpt2Weights } from '../src/engine/model/gpt2Weights';
import { HookedModel } from '../src/engine/model/hookedModel';
import { processWeights } from '../src/engine/model/weightProcessing';
import { initRuntime } from '../src/engine/runtime';
import { encodeSafetensors } from '../tools/testing/safetensorsWriter';
import { tinyGpt2 } from '../tools/testing/tinyGpt2';
import { median, option, runBenchmark } from './benchmarksDoc';

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDER = path.join(ROOT, 'build/bench-gpt2-small');
const TOKENS = 128;

function writeModel(): void {
  if (existsSync(path.join(FOLDER, 'model.safetensors'))) return;
  mkdirSync(FOLDER, { recursive: true });
  const model = tinyGpt2({ layers: 12, dModel: 768, heads: 12, ctx: 1024, vocab: 50257, activation: 'gelu_new', seed: 7 });
  writeFileSync(path.join(FOLDER, 'config.json'), JSON.stringify(model.config));
  writeFileSync(path.join(FOLDER, 'model.safetensors'), encodeSafetensors(model.tensors));
  copyFileSync(path.join(ROOT, 'models/explorer-4l/tokenizer.json'), path.join(FOLDER, 'tokenizer.json'));
}

async function main(): Promise<void> {
  const rounds = Number(option('--rounds') ?? 3);
  const threads = Number(option('--threads') ?? 2);
  const loadBefore = loadavg()[0]!;
  writeModel();
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
  const idsFile = path.join(FOLDER, 'ids.json');
  writeFileSync(idsFile, JSON.stringify(ids));
  await model.run(ids); // onnxruntime plans and allocates on the first run
  const ours: number[] = [];
  const torch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await model.run(ids);
    ours.push(performance.now() - start);
    const py = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench/torch_gpt2.py'), FOLDER, idsFile, '--repeats', '1'], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`torch_gpt2.py failed: ${py.stderr}`);
    torch.push(...(JSON.parse(py.stdout.trim().split('\n').pop()!) as { ms: number[] }).ms);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const flags = [...new Set(readFileSync('/proc/cpuinfo', 'utf8').match(/\b(avx512f|avx2)\b/g) ?? [])].join(', ');
  console.log(`GPT-2-small-sized model from Hugging Face files (Node, onnxruntime-web wasm, ${threads} threads; ${cpus().length} cores, ${flags}; load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  read file ${s(t1 - t0)}, read + process weights ${s(t2 - t1)}, build graph ${s(t3 - t2)} (${(graph.byteLength / 1e6).toFixed(0)} MB), create session ${s(t4 - t3)}: ${s(t4 - t1)} from bytes to session`);
  console.log(`  peak resident memory while building: ${(peak / 1024 ** 3).toFixed(2)} GiB`);
  console.log(`  forward, ${TOKENS} tokens: ours median ${s(median(ours))} [${ours.map((x) => x.toFixed(0)).join(', ')} ms], PyTorch eager median ${s(median(torch))} [${torch.map((x) => x.toFixed(0)).join(', ')} ms]: ${(median(ours) / median(torch)).toFixed(2)}x PyTorch's time`);
}

runBenchmark(main);
