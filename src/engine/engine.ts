/**
 * The engine's one entry point for the UI (through the worker) and for Node scripts: load a bundle,
 * tokenize, run the hooked model, and encode activations with any of the bundle's SAEs or the
 * reader's own. SAEs load on first use, so the first paint waits only for the model.
 */
import { bundleCorpus, readerCorpus, readerDocuments, type CorpusInfo, type HeldoutCorpus } from './analysis/heldoutCorpus';
import { Bundle } from './bundle/bundle';
import type { Manifest, ManifestSae } from './bundle/manifest';
import { CachedModel } from './model/cachedModel';
import { HookedModel, type Deltas, type ModelOutputs } from './model/hookedModel';
import { hookWidth, layerOfHook, saeKindOfHook, type SaeKind } from './model/hookShapes';
import { parseModelWeights, type ModelWeights } from './model/modelWeights';
import { initRuntime, type RuntimeBinaries } from './runtime';
import { saeFilesFromMap } from './sae/saeFiles';
import { loadSaeLens, SAELENS_WEIGHTS } from './sae/saelensFormat';
import { EncoderBank, type EncoderPath, setEncoderPath } from './sae/encoderBank';
import { SaeCodec } from './sae/saeCodec';
import { Tokenizer } from './tokenizer/tokenizer';
import { EngineError, type BackendInfo, type LoadProgress, type LoadStep, type Sae, type SaeArchitecture, type Tensor } from './types';

/** What the UI lists about an SAE before (and after) its weights are loaded. */
export interface SaeInfo {
  id: string;
  title: string;
  hookName: string;
  architecture: SaeArchitecture;
  dIn: number;
  dSae: number;
  layer: number;
  kind: SaeKind;
  /** shipped with the bundle, or added by the reader */
  source: 'bundle' | 'user';
}

export interface EngineLoadOptions {
  onProgress?: (p: LoadProgress) => void;
  /** the steps between downloads: starting the runtime, building the session, the warm-up run */
  onStep?: (s: LoadStep) => void;
  /** where onnxruntime's wasm binaries are served, to download them with progress (see RuntimeBinaries) */
  runtimeWasm?: RuntimeBinaries['urls'];
  backend?: 'auto' | 'webgpu' | 'wasm';
  /** at most this many wasm threads (see initRuntime) */
  wasmThreads?: number;
  /** how SAE encoders run (see EncoderBank): screened where it pays by default, or all dense for comparison */
  encoder?: EncoderPath;
  /** a bundle folder whose held-out text is re-tokenised when the opened one has no corpus (a Hugging Face model) */
  fallbackCorpus?: string;
  /** a Hugging Face model folder's files as the reader gave them, by path inside it: read instead of fetched (Bundle.openFiles) */
  files?: ReadonlyMap<string, Blob>;
}

export interface Tokenized {
  /** BOS first */
  ids: number[];
  /** display text of each id */
  tokens: string[];
  /** per id, whether it is a special token (BOS, and "<|endoftext|>" typed in the text) */
  special: boolean[];
  /** the text had more tokens than fit in the context and was cut */
  truncated: boolean;
  nCtx: number;
}

export interface FeatureActs {
  acts: Float32Array /* [nTokens, dSae] */;
  nTokens: number;
  dSae: number;
}

/** Sets of SAEs whose shared encoder sessions are kept (the bench and "all SAEs" views use one). */
const MAX_ENCODER_BANKS = 2;

interface LoadedSae {
  sae: Sae;
  encoder: SaeCodec;
}

export class Engine {
  /** SAE id → its load (started on first use, kept; dropped again if it failed) */
  private readonly loaded = new Map<string, Promise<LoadedSae>>();
  private readonly userSaes = new Map<string, SaeInfo>();
  /** SAE ids joined by newlines → one session encoding all of them (each holds its own weights) */
  private readonly banks = new Map<string, Promise<EncoderBank>>();
  private weightsPromise: Promise<ModelWeights> | null = null;
  private cachedPromise: Promise<CachedModel> | null = null;
  private corpusPromise: Promise<HeldoutCorpus> | null = null;

  private constructor(
    /** the opened bundle, for fetching its other files (dashboards, fixtures, data) */
    readonly bundle: Bundle,
    readonly tokenizer: Tokenizer,
    readonly model: HookedModel,
    readonly backend: BackendInfo,
    private readonly onProgress?: (p: LoadProgress) => void,
    private readonly fallbackCorpus?: string,
  ) {}

  /** Opens the bundle at `bundleUrl` (folder URL, manifest URL, or a folder path in Node), or the files given that it names. */
  static async load(bundleUrl: string, opts: EngineLoadOptions = {}): Promise<Engine> {
    setEncoderPath(opts.encoder ?? 'auto');
    const step = timedSteps(opts.onStep);
    const runtime = step('runtime', () =>
      initRuntime(opts.backend ?? 'auto', opts.wasmThreads, opts.runtimeWasm && { urls: opts.runtimeWasm, onProgress: opts.onProgress }),
    );
    // A failed probe must not stay unobserved while the downloads run.
    runtime.catch(() => {});
    const bundle = await (opts.files ? Bundle.openFiles(bundleUrl, opts.files, opts.onProgress) : Bundle.open(bundleUrl, opts.onProgress));
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
    const model = await step('session', () => HookedModel.create(onnxBytes, manifest.model));
    // ORT plans and allocates on a session's first run: done here, the reader's first text does not pay for it.
    await step('warmup', () => model.run([manifest.model.bos_token_id]));
    return new Engine(bundle, tokenizer, model, backend, opts.onProgress, opts.fallbackCorpus);
  }

  get manifest(): Manifest {
    return this.bundle.manifest;
  }

  /**
   * The held-out corpus in use, read (or tokenised) once and kept: the reader's where they gave one,
   * else the bundle's, else the fallback bundle's text (see heldoutCorpus.ts).
   */
  heldoutCorpus(): Promise<HeldoutCorpus> {
    if (!this.corpusPromise) {
      const opening = bundleCorpus(this.bundle, this.tokenizer, this.fallbackCorpus);
      this.corpusPromise = opening;
      opening.catch(() => {
        if (this.corpusPromise === opening) this.corpusPromise = null;
      });
    }
    return this.corpusPromise;
  }

  /** The reader's plain-text files become the corpus (null: back to the bundle's); a refused text changes nothing. */
  async useCorpus(files: readonly { name: string; bytes: Uint8Array }[] | null): Promise<CorpusInfo> {
    if (files === null) {
      this.corpusPromise = null;
      return (await this.heldoutCorpus()).info;
    }
    const next = await readerCorpus(this.tokenizer, readerDocuments(files), this.manifest.model);
    this.corpusPromise = Promise.resolve(next);
    return next.info;
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
    return {
      ids,
      tokens: ids.map((id) => this.tokenizer.tokenText(id)),
      special: ids.map((id) => id === bos_token_id || this.tokenizer.isSpecial(id)),
      truncated,
      nCtx: n_ctx,
    };
  }

  /** Logits [T, d_vocab] and the requested hooks (batch dimension dropped). */
  run(ids: number[], hooks: string[]): Promise<ModelOutputs> {
    return this.model.run(ids, hooks);
  }

  /**
   * Dense feature activations of SAE `saeId` on the sequence `ids` (BOS included). `onProgress`
   * hears the SAE's files download when this is its first use.
   */
  async featureActs(ids: number[], saeId: string, onProgress?: (p: LoadProgress) => void): Promise<FeatureActs> {
    return (await this.featureActsAll(ids, [saeId], onProgress)).get(saeId)!;
  }

  /**
   * Dense feature activations of several SAEs on one sequence: the model runs once, fetching every
   * hook they read, and the SAEs' encoders run together in one session (see EncoderBank).
   */
  async featureActsAll(
    ids: number[],
    saeIds: readonly string[],
    onProgress?: (p: LoadProgress) => void,
    /** added at the model's steering points (an ablation, a steer) */
    deltas?: Deltas,
  ): Promise<Map<string, FeatureActs>> {
    return (await this.featureActsWithHooks(ids, saeIds, [], onProgress, deltas)).acts;
  }

  /**
   * The same, and from the same model run, the hooks `extraHooks` (e.g. the attention patterns an
   * attribution splits the features by).
   */
  async featureActsWithHooks(
    ids: number[],
    saeIds: readonly string[],
    extraHooks: readonly string[],
    onProgress?: (p: LoadProgress) => void,
    deltas?: Deltas,
  ): Promise<{ acts: Map<string, FeatureActs>; hooks: ModelOutputs['hooks'] }> {
    const unique = [...new Set(saeIds)];
    const loaded = await Promise.all(unique.map((id) => this.loadSae(id, onProgress)));
    const saeHooks = [...new Set(loaded.map(({ sae }) => sae.hookName))];
    const [out, bank] = await Promise.all([this.model.run(ids, [...new Set([...saeHooks, ...extraHooks])], deltas), this.encoderBank(loaded)]);
    const hookActs = new Map(saeHooks.map((h) => [h, floatData(out.hooks[h]!, h)]));
    const acts = await bank.encode(hookActs, ids.length);
    return { acts: new Map(loaded.map(({ sae }, i) => [sae.id, { acts: acts[i]!, nTokens: ids.length, dSae: sae.dSae }])), hooks: out.hooks };
  }


  /** The SAE itself (weights included), loading it if needed. */
  async sae(saeId: string): Promise<Sae> {
    return (await this.loadSae(saeId)).sae;
  }

  /** The SAE's encoder and decoder (the engine's own, kept: do not release it), loading it if needed. */
  async codec(saeId: string): Promise<SaeCodec> {
    return (await this.loadSae(saeId)).encoder;
  }

  /** Adds (or replaces) one of the reader's SAEs, after checking that it fits this model. */
  async addSae(sae: Sae): Promise<void> {
    if (this.manifest.saes.some((s) => s.id === sae.id)) {
      throw new EngineError(`The bundle already has an SAE "${sae.id}"; give yours another id.`, sae.id);
    }
    this.checkFits(sae, sae.id);
    const encoder = await SaeCodec.create(sae);
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
      kind: saeKindOfHook(sae.hookName),
      source: 'user',
    });
  }

  /** Forgets one of the reader's SAEs (the bundle's cannot be removed). */
  removeSae(id: string): void {
    if (!this.userSaes.has(id)) return;
    const entry = this.loaded.get(id);
    this.loaded.delete(id);
    this.userSaes.delete(id);
    // A load that failed was reported to whoever asked for the SAE, and left nothing to release.
    void entry?.then(({ encoder }) => encoder.release(), () => undefined).catch((err: unknown) => console.warn(`Releasing SAE "${id}" failed:`, err));
    for (const key of [...this.banks.keys()]) if (key.split('\n').includes(id)) this.dropBank(key);
  }

  /** One SAE encodes with its own session; a set of them shares one, kept for the next call. */
  private encoderBank(loaded: readonly LoadedSae[]): Promise<Pick<EncoderBank, 'encode'>> {
    if (loaded.length === 1) {
      const { sae, encoder } = loaded[0]!;
      return Promise.resolve({ encode: async (hookActs, nTokens) => [await encoder.encode(hookActs.get(sae.hookName)!, nTokens)] });
    }
    const key = loaded.map(({ sae }) => sae.id).join('\n');
    let bank = this.banks.get(key);
    if (bank) {
      // Most recently used last.
      this.banks.delete(key);
    } else {
      bank = EncoderBank.create(loaded.map(({ sae }) => sae));
      bank.catch(() => this.banks.delete(key));
      while (this.banks.size >= MAX_ENCODER_BANKS) this.dropBank(this.banks.keys().next().value!);
    }
    this.banks.set(key, bank);
    return bank;
  }

  private dropBank(key: string): void {
    const bank = this.banks.get(key);
    this.banks.delete(key);
    // A bank that failed to build was reported to whoever asked for it, and left nothing to release.
    void bank?.then((b) => b.release(), () => undefined).catch((err: unknown) => console.warn('Releasing an encoder bank failed:', err));
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

  /** The model as a decoder with a key/value cache (for generation), built from model.onnx on first use. */
  cachedModel(): Promise<CachedModel> {
    const { onnx } = this.manifest.model;
    // A second read of model.onnx, from the cache it was stored in; its progress is no download to show.
    this.cachedPromise ??= this.bundle
      .bytes(onnx, () => {})
      .then((bytes) => CachedModel.create(bytes, this.manifest.model))
      .catch((err: unknown) => {
        this.cachedPromise = null;
        throw err;
      });
    return this.cachedPromise;
  }

  /** The SAE's load, started now if this is its first use (its downloads reported to `onProgress`). */
  private loadSae(id: string, onProgress = this.onProgress): Promise<LoadedSae> {
    let entry = this.loaded.get(id);
    if (!entry) {
      const info = this.manifest.saes.find((s) => s.id === id);
      if (!info) {
        const known = this.listSaes().map((s) => s.id);
        throw new EngineError(`There is no SAE "${id}". Known SAEs: ${known.join(', ') || 'none'}.`, id);
      }
      entry = this.loadBundleSae(info, onProgress);
      entry.catch(() => this.loaded.delete(id));
      this.loaded.set(id, entry);
    }
    return entry;
  }

  private async loadBundleSae(info: ManifestSae, onProgress?: (p: LoadProgress) => void): Promise<LoadedSae> {
    const folder = info.path.replace(/\/+$/, '');
    const [cfg, weights] = await Promise.all([
      this.bundle.bytes(`${folder}/cfg.json`, onProgress),
      this.bundle.bytes(`${folder}/${SAELENS_WEIGHTS}`, onProgress),
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
    return { sae, encoder: await SaeCodec.create(sae) };
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

/** Runs each step between `running` and `done` events, the latter with its duration. */
function timedSteps(onStep?: (s: LoadStep) => void) {
  return async <T>(name: LoadStep['step'], run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    onStep?.({ step: name, status: 'running' });
    const result = await run();
    onStep?.({ step: name, status: 'done', ms: performance.now() - start });
    return result;
  };
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
