/**
 * The Hugging Face layout of the bundled model (models/<bundle>/hf/), opened as the app opens any
 * GPT-2 folder, against the bundle itself: the graph the engine builds from model.safetensors must
 * give model.onnx's logits and every hook (deltas at every steering point included) within 1e-4;
 * with TransformerLens's processing, it must give PyTorch's processed hooks
 * (fixtures/hf_processed.*, models/train/hf_forward.py). Node (gpt2Graph.bundle.test.ts) and
 * parity.html (`?hf=1`, wasm and WebGPU) run this same code.
 */
import type { Bundle } from '../../src/engine/bundle/bundle';
import { Engine } from '../../src/engine/engine';
import type { Deltas } from '../../src/engine/model/hookedModel';
import { readSafetensors } from '../../src/engine/sae/safetensors';
import { compare, type ParityRow } from './fixtureParity';

const TOLERANCE = 1e-4;

/** Where the bundle keeps its Hugging Face layout. */
const HF_FOLDER = 'hf/';

/** Small deltas at every steering point, different per point and position, so each delta input counts. */
function deltasFor(engine: Engine, T: number): Deltas {
  const { d_model, steer_inputs } = engine.manifest.model;
  return Object.fromEntries(steer_inputs.map((p, i) => [p, Float32Array.from({ length: T * d_model }, (_, j) => 0.05 * Math.sin(0.37 * j + i))]));
}

/** Rows "hf.<output>": the built graph (unprocessed) against the bundle's model.onnx. */
export async function checkBuiltAgainstBundled(bundled: Engine, built: Engine, prompts: readonly (readonly number[])[]): Promise<ParityRow[]> {
  const hooks = bundled.manifest.model.hooks;
  const rows: ParityRow[] = [];
  for (const [p, ids] of prompts.entries()) {
    const deltas = deltasFor(bundled, ids.length);
    // One after the other: two sessions running at once failed on onnxruntime's WebGPU backend here.
    const want = await bundled.model.run(ids, hooks, deltas);
    const got = await built.model.run(ids, hooks, deltas);
    for (const name of ['logits', ...hooks]) {
      const w = name === 'logits' ? want.logits : want.hooks[name]!;
      const g = name === 'logits' ? got.logits : got.hooks[name]!;
      rows.push(compare(p, `hf.${name}`, g.dims, g.data as Float32Array, { shape: w.dims, data: w.data as Float32Array }, TOLERANCE));
    }
  }
  return rows;
}

/** Rows "hf-processed.<output>": the built graph with TransformerLens's processing against PyTorch's. */
export async function checkProcessedAgainstPyTorch(built: Engine, bundle: Bundle, only?: readonly number[]): Promise<ParityRow[]> {
  const spec = (await bundle.json('fixtures/hf_processed.json')) as { prompts: number[][]; hooks: string[]; tensors: string };
  const tensors = await readSafetensors(await bundle.bytes(`fixtures/${spec.tensors}`), { name: spec.tensors });
  const hooks = spec.hooks.filter((h) => h !== 'logits');
  const rows: ParityRow[] = [];
  for (const p of only ?? spec.prompts.map((_, i) => i)) {
    const out = await built.run(spec.prompts[p]!, hooks);
    for (const name of spec.hooks) {
      const t = name === 'logits' ? out.logits : out.hooks[name]!;
      const want = tensors.get(`p${p}.${name}`)!;
      rows.push(compare(p, `hf-processed.${name}`, t.dims, t.data as Float32Array, { shape: want.shape, data: want.data as Float32Array }, TOLERANCE));
    }
  }
  return rows;
}

/**
 * Opens the bundle's Hugging Face layout twice on `backend` — unprocessed, and with TransformerLens's
 * defaults — and checks both (the rows of the two functions above).
 */
export async function checkHfLayout(bundled: Engine, backend: 'wasm' | 'webgpu' | 'auto', prompts?: readonly number[]): Promise<{ rows: ParityRow[]; built: Engine }> {
  const folder = new URL(HF_FOLDER, bundled.bundle.baseUrl).href;
  const fixtures = (await bundled.bundle.json('fixtures/hf_processed.json')) as { prompts: number[][] };
  const chosen = prompts ?? fixtures.prompts.map((_, i) => i);
  const built = await Engine.load(`${folder}?processing=none`, { backend });
  const rows = await checkBuiltAgainstBundled(bundled, built, chosen.map((p) => fixtures.prompts[p]!));
  const processed = await Engine.load(folder, { backend });
  rows.push(...(await checkProcessedAgainstPyTorch(processed, bundled.bundle, chosen)));
  return { rows, built };
}
