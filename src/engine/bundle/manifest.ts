/**
 * manifest.json, the one file of a bundle the app needs to know (format in docs/ARCHITECTURE.md).
 * Validation checks what the engine relies on and names the field at fault, so a bundle built by a
 * different pipeline version fails here, readably, rather than deep inside ONNX.
 */
import { ACTIVATION_FUNCTIONS, type Activation } from '../model/gpt2Config';
import { hookWidth, layerOfHook, SAE_KINDS, saeKindOfHook, type SaeKind } from '../model/hookShapes';
import { ARCHITECTURES } from '../sae/assembleSae';
import { EngineError, type SaeArchitecture } from '../types';

const BUNDLE_FORMAT = 'sae-explorer-bundle';
const BUNDLE_VERSION = 1;

export interface ManifestModel {
  /** bundle-relative paths */
  onnx: string;
  weights: string;
  n_layers: number;
  d_model: number;
  n_heads: number;
  d_head: number;
  n_ctx: number;
  d_vocab: number;
  bos_token_id: number;
  /** every hook the ONNX model outputs, TransformerLens names */
  hooks: string[];
  /** hooks with a `delta.<hook>` input added to the residual stream there */
  steer_inputs: string[];
  /**
   * A model built from Hugging Face files says how its blocks compute (bundles use models/train/model.py's:
   * exact GELU, LayerNorm eps 1e-5, scores divided by √d_head), for the cached decoder.
   */
  activation?: Activation;
  layer_norm_epsilon?: number;
  /** per layer */
  attn_score_divisors?: number[];
}

export interface ManifestSae {
  id: string;
  /** bundle-relative folder holding cfg.json + sae_weights.safetensors */
  path: string;
  hook_name: string;
  architecture: SaeArchitecture;
  d_in: number;
  d_sae: number;
  kind: SaeKind;
  /** the block the hook is in (from hook_name when the manifest does not say) */
  layer: number;
  title: string;
}

interface ManifestHeldout {
  path: string;
  dtype: 'uint16';
  seq_len: number;
  n_seqs: number;
  /** where the sequences come from, one source after another (for per-source figures) */
  sources?: { id: string; n_seqs: number }[];
  /** the held-out documents as JSON lines {source, text}, which a model of another tokenizer re-tokenises */
  text?: string;
}

/** A validated manifest: plain data (it crosses postMessage), unknown extra fields kept as they are. */
export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  name: string;
  model: ManifestModel;
  tokenizer: string;
  saes: ManifestSae[];
  data?: { heldout?: ManifestHeldout };
  fixtures?: string;
  report?: string;
  /** what each file holds, by bundle-relative path: a cached or downloaded copy must match it */
  files?: Record<string, ManifestFile>;
}

/** The size of a bundle file, and its SHA-256 (hex) where the manifest gives one. */
export interface ManifestFile {
  bytes: number;
  sha256?: string;
}

type Json = Record<string, unknown>;

export function parseManifest(json: unknown, source = 'manifest.json'): Manifest {
  const fail = (what: string): never => {
    throw new EngineError(`${source}: ${what}`, source);
  };
  const root = object(json, 'the file', fail);
  if (root.format !== BUNDLE_FORMAT) {
    fail(`"format" is ${show(root.format)}, expected "${BUNDLE_FORMAT}" — is this an SAE Explorer bundle?`);
  }
  if (root.version !== BUNDLE_VERSION) {
    fail(
      `bundle version ${show(root.version)}; this app reads version ${BUNDLE_VERSION}. ` +
        'Rebuild the bundle with a matching pipeline, or use a matching version of the app.',
    );
  }
  const name = string(root.name, 'name', fail);
  const model = readModel(object(root.model, 'model', fail), fail);
  const tokenizer = string(root.tokenizer, 'tokenizer', fail);
  const sources = root.saes === undefined ? [] : array(root.saes, 'saes', fail);
  const saes = sources.map((s, i) => readSae(object(s, `saes[${i}]`, fail), i, model, fail));
  const seen = new Set<string>();
  for (const s of saes) {
    if (seen.has(s.id)) fail(`two SAEs share the id "${s.id}"; ids must be unique.`);
    seen.add(s.id);
  }
  const manifest: Manifest = { ...(root as object), format: BUNDLE_FORMAT, version: BUNDLE_VERSION, name, model, tokenizer, saes };
  const heldout = (object(root.data ?? {}, 'data', fail) as Json).heldout;
  if (heldout !== undefined) manifest.data = { ...(root.data as Json), heldout: readHeldout(object(heldout, 'data.heldout', fail), fail) };
  if (root.files !== undefined) manifest.files = readFiles(object(root.files, 'files', fail), fail);
  return manifest;
}

function readFiles(files: Json, fail: (what: string) => never): Record<string, ManifestFile> {
  const out: Record<string, ManifestFile> = {};
  for (const [path, entry] of Object.entries(files)) {
    const f = object(entry, `files["${path}"]`, fail);
    const file: ManifestFile = { bytes: integer(f.bytes, `files["${path}"].bytes`, 0, fail) };
    if (f.sha256 !== undefined) {
      if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) fail(`files["${path}"].sha256 must be 64 lowercase hex digits, found ${show(f.sha256)}.`);
      file.sha256 = f.sha256 as string;
    }
    out[path] = file;
  }
  return out;
}

function readModel(m: Json, fail: (what: string) => never): ManifestModel {
  const int = (key: string, min = 1) => integer(m[key], `model.${key}`, min, fail);
  const model: ManifestModel = {
    onnx: string(m.onnx, 'model.onnx', fail),
    weights: string(m.weights, 'model.weights', fail),
    n_layers: int('n_layers'),
    d_model: int('d_model'),
    n_heads: int('n_heads'),
    d_head: int('d_head'),
    n_ctx: int('n_ctx'),
    d_vocab: int('d_vocab'),
    bos_token_id: int('bos_token_id', 0),
    hooks: strings(m.hooks, 'model.hooks', fail),
    steer_inputs: m.steer_inputs === undefined ? [] : strings(m.steer_inputs, 'model.steer_inputs', fail),
  };
  // How a bundle converted from Hugging Face files computes (scripts/hf-to-bundle.ts), for the cached decoder.
  if (m.activation !== undefined) {
    if (!ACTIVATION_FUNCTIONS.includes(m.activation as Activation)) fail(`model.activation is ${show(m.activation)}; known: ${ACTIVATION_FUNCTIONS.join(', ')}.`);
    model.activation = m.activation as Activation;
  }
  if (m.layer_norm_epsilon !== undefined) {
    if (typeof m.layer_norm_epsilon !== 'number' || !(m.layer_norm_epsilon > 0)) fail(`model.layer_norm_epsilon must be a positive number, found ${show(m.layer_norm_epsilon)}.`);
    model.layer_norm_epsilon = m.layer_norm_epsilon as number;
  }
  if (m.attn_score_divisors !== undefined) {
    const divisors = array(m.attn_score_divisors, 'model.attn_score_divisors', fail);
    if (divisors.length !== model.n_layers || !divisors.every((v) => typeof v === 'number' && v > 0)) {
      fail(`model.attn_score_divisors must be ${model.n_layers} positive numbers, one per layer.`);
    }
    model.attn_score_divisors = divisors as number[];
  }
  if (model.bos_token_id >= model.d_vocab) {
    fail(`model.bos_token_id ${model.bos_token_id} is outside the vocabulary (d_vocab ${model.d_vocab}).`);
  }
  for (const hook of model.hooks) {
    const layer = layerOfHook(hook);
    if (layer !== null && layer >= model.n_layers) {
      fail(`model.hooks names "${hook}", but the model has ${model.n_layers} layers.`);
    }
  }
  return model;
}

function readSae(s: Json, i: number, model: ManifestModel, fail: (what: string) => never): ManifestSae {
  const at = `saes[${i}]`;
  const id = string(s.id, `${at}.id`, fail);
  const hookName = string(s.hook_name, `${at}.hook_name`, fail);
  if (!model.hooks.includes(hookName)) {
    fail(`SAE "${id}" reads hook "${hookName}", which the model does not output (model.hooks).`);
  }
  const architecture = s.architecture as SaeArchitecture;
  if (!ARCHITECTURES.includes(architecture)) {
    fail(`SAE "${id}" has architecture ${show(s.architecture)}; known: ${ARCHITECTURES.join(', ')}.`);
  }
  const kind = s.kind ?? saeKindOfHook(hookName);
  if (!SAE_KINDS.includes(kind as SaeKind)) fail(`SAE "${id}" has kind ${show(kind)}; expected one of ${SAE_KINDS.join(', ')}.`);
  const layer = s.layer === undefined ? layerOfHook(hookName) : integer(s.layer, `${at}.layer`, 0, fail);
  if (layer === null) fail(`SAE "${id}" has no "layer" and its hook "${hookName}" names no block.`);
  const dIn = integer(s.d_in, `${at}.d_in`, 1, fail);
  const width = hookWidth(model, hookName);
  if (width === null) fail(`SAE "${id}" reads hook "${hookName}", which has no fixed width per token.`);
  if (dIn !== width) fail(`SAE "${id}" has d_in ${dIn}, but hook "${hookName}" holds ${width} floats per token.`);
  return {
    ...s,
    id,
    path: string(s.path, `${at}.path`, fail),
    hook_name: hookName,
    architecture,
    d_in: dIn,
    d_sae: integer(s.d_sae, `${at}.d_sae`, 1, fail),
    kind: kind as SaeKind,
    layer: layer as number,
    title: typeof s.title === 'string' && s.title ? s.title : id,
  };
}

function readHeldout(h: Json, fail: (what: string) => never): ManifestHeldout {
  if (h.dtype !== 'uint16') fail(`data.heldout.dtype is ${show(h.dtype)}; only "uint16" token files are read.`);
  const heldout: ManifestHeldout = {
    path: string(h.path, 'data.heldout.path', fail),
    dtype: 'uint16',
    seq_len: integer(h.seq_len, 'data.heldout.seq_len', 1, fail),
    n_seqs: integer(h.n_seqs, 'data.heldout.n_seqs', 0, fail),
  };
  if (h.text !== undefined) heldout.text = string(h.text, 'data.heldout.text', fail);
  if (h.sources !== undefined) {
    heldout.sources = array(h.sources, 'data.heldout.sources', fail).map((src, i) => {
      const o = object(src, `data.heldout.sources[${i}]`, fail);
      return { id: string(o.id, `data.heldout.sources[${i}].id`, fail), n_seqs: integer(o.n_seqs, `data.heldout.sources[${i}].n_seqs`, 0, fail) };
    });
    const total = heldout.sources.reduce((n, src) => n + src.n_seqs, 0);
    if (total !== heldout.n_seqs) fail(`data.heldout.sources add up to ${total} sequences, but n_seqs is ${heldout.n_seqs}.`);
  }
  return heldout;
}

function object(v: unknown, what: string, fail: (what: string) => never): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} must be a JSON object, found ${show(v)}.`);
  return v as Json;
}

function array(v: unknown, what: string, fail: (what: string) => never): unknown[] {
  if (!Array.isArray(v)) fail(`${what} must be a list, found ${show(v)}.`);
  return v as unknown[];
}

function string(v: unknown, what: string, fail: (what: string) => never): string {
  if (typeof v !== 'string' || v === '') fail(`${what} must be a non-empty string, found ${show(v)}.`);
  return v as string;
}

function strings(v: unknown, what: string, fail: (what: string) => never): string[] {
  return array(v, what, fail).map((s, i) => string(s, `${what}[${i}]`, fail));
}

function integer(v: unknown, what: string, min: number, fail: (what: string) => never): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    fail(`${what} must be an integer ≥ ${min}, found ${show(v)}.`);
  }
  return v as number;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
