/**
 * GPT-2 small's shapes with seeded random weights (12 layers, d_model 768, 12 heads, 1,024
 * positions, 50,257 tokens; 124M parameters, fp32), written once as Hugging Face files for the
 * benchmarks that need a model that size (bench/gpt2.ts, bench/gpt2-bundle.ts). The tokenizer is the
 * bundle's: its ids are all below GPT-2's vocabulary.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeSafetensors } from '../tools/testing/safetensorsWriter';
import { tinyGpt2 } from '../tools/testing/tinyGpt2';

const ROOT = path.resolve(import.meta.dirname, '..');
export const GPT2_SMALL_FOLDER = path.join(ROOT, 'build/bench-gpt2-small');

export function writeGpt2Small(): void {
  if (existsSync(path.join(GPT2_SMALL_FOLDER, 'model.safetensors'))) return;
  mkdirSync(GPT2_SMALL_FOLDER, { recursive: true });
  const model = tinyGpt2({ layers: 12, dModel: 768, heads: 12, ctx: 1024, vocab: 50257, activation: 'gelu_new', seed: 7 });
  writeFileSync(path.join(GPT2_SMALL_FOLDER, 'config.json'), JSON.stringify(model.config));
  writeFileSync(path.join(GPT2_SMALL_FOLDER, 'model.safetensors'), encodeSafetensors(model.tensors));
  copyFileSync(path.join(ROOT, 'models/explorer-4l/tokenizer.json'), path.join(GPT2_SMALL_FOLDER, 'tokenizer.json'));
}
