/**
 * The reference outputs a bundle ships (docs/ARCHITECTURE.md, "Fixtures"): prompts with their
 * token ids, and PyTorch's fp32 hooks, logits and SAE activations for each, computed from the very
 * weights that were exported. Parity checks, in Node and in the browser, read them from here.
 */
import { readSafetensors, type SafetensorsTensor } from '../../src/engine/sae/safetensors';
import { EngineError } from '../../src/engine/types';
import type { Bundle } from '../../src/engine/bundle/bundle';

interface FixturePrompt {
  text: string;
  /** token ids, BOS first */
  tokens: number[];
}

export interface Fixtures {
  prompts: FixturePrompt[];
  /** names checked for every prompt: "logits" and hook names */
  hooks: string[];
  /** SAE ids with dense activations for every prompt */
  saes: string[];
  /** `p{i}.<hook>` and `p{i}.sae.<id>`, batch dimension dropped */
  tensors: Map<string, SafetensorsTensor>;
  /** bundle path of fixtures.json's folder, for messages */
  folder: string;
  /**
   * Next-token cross-entropy (nats per prediction, over all prompts): clean, and per SAE with its
   * reconstruction spliced in and with its hook zero-ablated (BOS kept); absent in older bundles.
   */
  ce?: { clean: number; by_sae: Record<string, { ce_spliced: number; ce_zero_ablation: number }> };
}

export interface TokenizerLine {
  text: string;
  /** ids without BOS */
  ids: number[];
}

export async function loadFixtures(bundle: Bundle): Promise<Fixtures> {
  const path = bundle.manifest.fixtures;
  if (!path) throw new EngineError('manifest.json names no "fixtures": this bundle ships no reference outputs.', 'manifest.json');
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const json = (await bundle.json(path)) as Record<string, unknown>;
  const prompts = json.prompts;
  if (!Array.isArray(prompts) || !prompts.every(isPrompt)) {
    throw new EngineError(`${path}: "prompts" must be a list of {text, tokens}.`, path);
  }
  const tensorsFile = folder + String(json.tensors ?? 'fixtures.safetensors');
  const tensors = await readSafetensors(await bundle.bytes(tensorsFile), { name: tensorsFile });
  return {
    prompts,
    hooks: stringList(json.hooks),
    saes: stringList(json.saes),
    tensors,
    folder,
    ...(json.ce ? { ce: json.ce as Fixtures['ce'] } : {}),
  };
}

/** The tokenizer's reference lines (`fixtures/tokenizer_lines.jsonl`: {"text", "ids"} per line). */
export async function loadTokenizerLines(bundle: Bundle, fixtures: Pick<Fixtures, 'folder'>, name = 'tokenizer_lines.jsonl'): Promise<TokenizerLine[]> {
  const path = fixtures.folder + name;
  const text = await bundle.text(path);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as unknown;
      if (!isLine(row)) throw new EngineError(`${path}, line ${i + 1}: expected {"text": string, "ids": number[]}.`, path);
      return row;
    });
}

/** The fixture tensor `p{prompt}.{name}`, as fp32. */
export function fixtureTensor(fixtures: Fixtures, prompt: number, name: string): { shape: number[]; data: Float32Array } {
  const key = `p${prompt}.${name}`;
  const t = fixtures.tensors.get(key);
  if (!t || !(t.data instanceof Float32Array)) {
    throw new EngineError(`${fixtures.folder}fixtures.safetensors has no float tensor "${key}".`);
  }
  return { shape: t.shape, data: t.data };
}

function isPrompt(p: unknown): p is FixturePrompt {
  const o = p as FixturePrompt;
  return typeof o?.text === 'string' && Array.isArray(o.tokens) && o.tokens.every(Number.isInteger);
}

function isLine(p: unknown): p is TokenizerLine {
  const o = p as TokenizerLine;
  return typeof o?.text === 'string' && Array.isArray(o.ids) && o.ids.every(Number.isInteger);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}
