/**
 * A small GPT-2 in Hugging Face's layout with seeded random weights, for tests of the graph builder
 * and the weight processing: config.json and model.safetensors (every tensor named as
 * GPT2LMHeadModel saves it), written to a fresh folder with the bundle's tokenizer.json beside them.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeSafetensors, type TensorToWrite } from './safetensorsWriter';

export interface TinyGpt2 {
  config: Record<string, unknown>;
  tensors: Record<string, TensorToWrite>;
}

/** Config and weights; `vocab` must cover the tokenizer that will be used with them. */
export function tinyGpt2({ layers = 2, dModel = 16, heads = 2, ctx = 32, vocab = 4096, activation = 'gelu_new', seed = 1 } = {}): TinyGpt2 {
  let s = seed;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const t = (shape: number[], scale = 0.2, offset = 0): TensorToWrite => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + scale * rand()),
  });
  const d = dModel;
  const tensors: Record<string, TensorToWrite> = { 'transformer.wte.weight': t([vocab, d]), 'transformer.wpe.weight': t([ctx, d], 0.05) };
  for (let l = 0; l < layers; l++) {
    const h = `transformer.h.${l}.`;
    Object.assign(tensors, {
      [`${h}ln_1.weight`]: t([d], 0.4, 1), [`${h}ln_1.bias`]: t([d], 0.2),
      [`${h}attn.c_attn.weight`]: t([d, 3 * d]), [`${h}attn.c_attn.bias`]: t([3 * d], 0.3),
      [`${h}attn.c_proj.weight`]: t([d, d]), [`${h}attn.c_proj.bias`]: t([d], 0.1),
      [`${h}ln_2.weight`]: t([d], 0.4, 1), [`${h}ln_2.bias`]: t([d], 0.2),
      [`${h}mlp.c_fc.weight`]: t([d, 4 * d]), [`${h}mlp.c_fc.bias`]: t([4 * d], 0.1),
      [`${h}mlp.c_proj.weight`]: t([4 * d, d]), [`${h}mlp.c_proj.bias`]: t([d], 0.1),
    });
  }
  tensors['transformer.ln_f.weight'] = t([d], 0.4, 1);
  tensors['transformer.ln_f.bias'] = t([d], 0.2);
  const config = {
    model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_layer: layers, n_embd: d, n_head: heads, n_positions: ctx,
    vocab_size: vocab, activation_function: activation, layer_norm_epsilon: 1e-5, bos_token_id: 0, eos_token_id: 0,
  };
  return { config, tensors };
}

/** Writes `model` to a fresh folder (with `tokenizerJson` copied in); returns the folder. */
export function writeHfFolder(model: TinyGpt2, tokenizerJson: string, weights = encodeSafetensors(model.tensors)): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-gpt2-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(model.config));
  writeFileSync(path.join(dir, 'model.safetensors'), weights);
  copyFileSync(tokenizerJson, path.join(dir, 'tokenizer.json'));
  return dir;
}
