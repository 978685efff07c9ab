/**
 * The engine's one entry point for the UI (through the worker) and for Node scripts: load a bundle,
 * tokenize, run the hooked model, and encode activations with any of the bundle's SAEs or the
 * reader's own. SAEs load on first use, so the first paint waits only for the model.
 */
import { Bundle } from './bundle/bundle';
import type { Manifest, ManifestSae } from './bundle/manifest';
import { HookedModel, type ModelOutputs } from './model/hookedModel';
import { hookWidth, layerOfHook } from './model/hookShapes';
import { parseModelWeights, type ModelWeights } from './model/modelWeights';
import { initRuntime } from './runtime';
import { saeFilesFromMap } from './sae/saeFiles';
import { loadSaeLens, SAELENS_WEIGHTS } from './sae/saelensFormat';
import { SaeEncoder } from './sae/saeEncoder';
import { Tokenizer } from './tokenizer/tokenizer';
import { EngineError, type BackendInfo, type LoadProgress, type Sae, type SaeArchitecture, type Tensor } from './types';

/** What the UI lists about an SAE before (and after) its weights are loaded. */
export interface SaeInfo {
  id: string;
  title: string;
  hookName: string;
  architecture: SaeArchitecture;
  dIn: number;
  dSae: number;
  layer: number;
  kind: 'resid' | 'attn';
  /** shipped with the bundle, or added by the reader */
  source: 'bundle' | 'user';
}

export interface EngineLoadOptions {
  onProgress?: (p: LoadProgress) => void;
  backend?: 'auto' | 'webgpu' | 'wasm';
}

export interface Tokenized {
  /** BOS first */
  ids: number[];
  /** display text of each id */
  tokens: string[];
  /** the text had more tokens than fit in the context and was cut */
  truncated: boolean;
  nCtx: number;
}

export interface FeatureActs {
  acts: Float32Array /* [nTokens, dSae] */;
  nTokens: number;
  dSae: number;
}

interface LoadedSae {
  sae: Sae;
  encoder: SaeEncoder;
}

export class Engine {
  /** SAE id → its load (started on first use, kept; dropped again if it failed) */
  private readonly loaded = new Map<string, Promise<LoadedSae>>();
  private readonly userSaes = new Map<string, SaeInfo>();
  private weightsPromise: Promise<ModelWeights> | null = null;

  private constructor(
    /** the opened bundle, for fetching its other files (dashboards, fixtures, data) */
    readonly bundle: Bundle,
    readonly tokenizer: Tokenizer,
    readonly model: HookedModel,
    readonly backend: BackendInfo,
    private readonly onProgress?: (p: LoadProgress) => void,
  ) {}

  /** Opens the bundle at `bundleUrl` (folder URL, manifest URL, or a folder path in Node). */
  static async load(bundleUrl: string, opts: EngineLoadOptions = {}): Promise<Engine> {
    const runtime = initRuntime(opts.backend ?? 'auto');
    // A failed probe must not stay unobserved while the downloads run.
    runtime.catch(() => {});
    const bundle = await Bundle.open(bundleUrl, opts.onProgress);
    const { manifest } = bundle;
    const [tokenizerJson, onnxBytes, backend] = await Promise.all([
      bundle.json(manifest.tokenizer),
      bundle.bytes(manifest.model.onnx),
      runtime,
    ]);
    const tokenizer = Tokenizer.fromJson(tokenizerJson, manifest.tokenizer);
    if (tokenizer.vocabSize > manifest.model.d_vocab) {
      throw new EngineError(
        `${manifest.tokenizer} has ${tokenizer.vocabSize} tokens but the model's d_vocab is ${manifest.model.d_vocab}: ` +
          'the tokenizer belongs to another model.',
        manifest.tokenizer,
      );
    }
    const model = await HookedModel.create(onnxBytes, manifest.model);
    return new Engine(bundle, tokenizer, model, backend, opts.onProgress);
  }

  get manifest(): Manifest {
    return this.bundle.manifest;
  }

  /** The bundle's SAEs, then the reader's, in the order they were added. */
  listSaes(): SaeInfo[] {
    return [...this.manifest.saes.map(bundleSaeInfo), ...this.userSaes.values()];
  }

  /** Token ids with BOS prepended, cut to the model's context. */
  tokenize(text: string): Tokenized {
    const { n_ctx, bos_token_id } = this.manifest.model;
    // One more than fits tells whether anything was cut.
    const body = this.tokenizer.encode(text, { maxTokens: n_ctx });
    const truncated = body.length > n_ctx - 1;
    const ids = [bos_token_id, ...body.slice(0, n_ctx - 1)];
    return { ids, tokens: ids.map((id) => this.tokenizer.tokenText(id)), truncated, nCtx: n_ctx };
  }

  /** Logits [T, d_vocab] and the requested hooks (batch dimension dropped). */
  run(ids: number[], hooks: string[]): Promise<ModelOutputs> {
    return this.model.run(ids, hooks);
  }

  /** Dense feature activations of SAE `saeId` on the sequence `ids` (BOS included). */
  async featureActs(ids: number[], saeId: string): Promise<FeatureActs> {
    return (await this.featureActsAll(ids, [saeId])).get(saeId)!;
  }

  /**
   * Dense feature activations of several SAEs on one sequence: the model runs once, fetching every
   * hook they read, instead of once per SAE.
   */
  async featureActsAll(ids: number[], saeIds: readonly string[]): Promise<Map<string, FeatureActs>> {
    const loaded = await Promise.all(saeIds.map((id) => this.loadSae(id)));
    const out = await this.model.run(ids, loaded.map(({ sae }) => sae.hookName));
    const nTokens = ids.length;
    const result = new Map<string, FeatureActs>();
    // One at a time: the sessions share the same wasm threads, so running them together gains nothing.
    for (const [i, { sae, encoder }] of loaded.entries()) {
      const acts = await encoder.encode(floatData(out.hooks[sae.hookName]!, sae.hookName), nTokens);
      result.set(saeIds[i]!, { acts, nTokens, dSae: sae.dSae });
    }
    return result;
  }

  /** The SAE itself (weights included), loading it if needed. */
  async sae(saeId: string): Promise<Sae> {
    return (await this.loadSae(saeId)).sae;
  }

  /** Adds (or replaces) one of the reader's SAEs, after checking that it fits this model. */
  async addSae(sae: Sae): Promise<void> {
    if (this.manifest.saes.some((s) => s.id === sae.id)) {
      throw new EngineError(`The bundle already has an SAE "${sae.id}"; give yours another id.`, sae.id);
    }
    this.checkFits(sae, sae.id);
    const encoder = await SaeEncoder.create(sae);
    this.removeSae(sae.id);
    this.loaded.set(sae.id, Promise.resolve({ sae, encoder }));
    this.userSaes.set(sae.id, {
      id: sae.id,
      title: sae.title,
      hookName: sae.hookName,
      architecture: sae.architecture,
      dIn: sae.dIn,
      dSae: sae.dSae,
      layer: layerOfHook(sae.hookName) ?? 0,
      kind: sae.hookName.includes('.attn.') ? 'attn' : 'resid',
      source: 'user',
    });
  }

  /** Forgets one of the reader's SAEs (the bundle's cannot be removed). */
  removeSae(id: string): void {
    if (!this.userSaes.has(id)) return;
    const entry = this.loaded.get(id);
    this.loaded.delete(id);
    this.userSaes.delete(id);
    void entry?.then(({ encoder }) => encoder.release()).catch(() => {});
  }

  /** W_U, the final LayerNorm and W_O, downloaded on first use. */
  modelWeights(): Promise<ModelWeights> {
    this.weightsPromise ??= this.bundle
      .bytes(this.manifest.model.weights)
      .then((bytes) => parseModelWeights(bytes, this.manifest.model))
      .catch((err: unknown) => {
        this.weightsPromise = null;
        throw err;
      });
    return this.weightsPromise;
  }

  private loadSae(id: string): Promise<LoadedSae> {
    let entry = this.loaded.get(id);
    if (!entry) {
      const info = this.manifest.saes.find((s) => s.id === id);
      if (!info) {
        const known = this.listSaes().map((s) => s.id);
        throw new EngineError(`There is no SAE "${id}". Known SAEs: ${known.join(', ') || 'none'}.`, id);
      }
      entry = this.loadBundleSae(info);
      entry.catch(() => this.loaded.delete(id));
      this.loaded.set(id, entry);
    }
    return entry;
  }

  private async loadBundleSae(info: ManifestSae): Promise<LoadedSae> {
    const folder = info.path.replace(/\/+$/, '');
    const [cfg, weights] = await Promise.all([
      this.bundle.bytes(`${folder}/cfg.json`, this.onProgress),
      this.bundle.bytes(`${folder}/${SAELENS_WEIGHTS}`, this.onProgress),
    ]);
    const files = saeFilesFromMap(folder, { 'cfg.json': cfg, [SAELENS_WEIGHTS]: weights });
    const sae = await loadSaeLens(files, { id: info.id, title: info.title });
    if (sae.hookName !== info.hook_name || sae.dSae !== info.d_sae || sae.architecture !== info.architecture) {
      throw new EngineError(
        `${folder}/cfg.json describes a ${sae.architecture} SAE on ${sae.hookName} with d_sae ${sae.dSae}, ` +
          `but manifest.json says ${info.architecture} on ${info.hook_name} with d_sae ${info.d_sae}. Rebuild the bundle.`,
        `${folder}/cfg.json`,
      );
    }
    this.checkFits(sae, `${folder}/cfg.json`);
    return { sae, encoder: await SaeEncoder.create(sae) };
  }

  private checkFits(sae: Sae, source: string): void {
    const { model } = this.manifest;
    if (!model.hooks.includes(sae.hookName)) {
      throw new EngineError(
        `SAE "${sae.id}" reads hook "${sae.hookName}", which this model does not expose. ` +
          `Hooks available: ${model.hooks.join(', ')}.`,
        source,
      );
    }
    const width = hookWidth(model, sae.hookName);
    if (width !== sae.dIn) {
      throw new EngineError(
        `SAE "${sae.id}" has d_in ${sae.dIn}, but hook "${sae.hookName}" of this model holds ${width ?? 'no fixed number of'} ` +
          'floats per token — was it trained on another model?',
        source,
      );
    }
  }
}

function bundleSaeInfo(s: ManifestSae): SaeInfo {
  return {
    id: s.id,
    title: s.title,
    hookName: s.hook_name,
    architecture: s.architecture,
    dIn: s.d_in,
    dSae: s.d_sae,
    layer: s.layer,
    kind: s.kind,
    source: 'bundle',
  };
}

function floatData(t: Tensor, name: string): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new EngineError(`Hook "${name}" returned ${t.type}, not float32.`);
  return t.data;
}
