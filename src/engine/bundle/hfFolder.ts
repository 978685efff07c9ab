/**
 * A Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json), opened as a bundle
 * with no SAEs: its manifest is made from config.json, and the two files a bundle's manifest names
 * for the model — the hooked ONNX graph and the analyses' weights — are built in the engine from
 * model.safetensors (model/gpt2Graph.ts), with TransformerLens's processing (model/weightProcessing.ts).
 * Downloads go through the bundle's fetch, with progress and the Cache API copy for the next visit.
 *
 * The processing is TransformerLens's defaults unless the folder's address says otherwise in its
 * query: `…/resolve/main/?processing=none` or `?processing=fold_ln,center_unembed`.
 * The memory the model will take is estimated from config.json before model.safetensors is fetched,
 * and a model over the budget is refused then.
 */
import { estimatedPeakBytes, parseGpt2Config, parameterCount, type Gpt2Config } from '../model/gpt2Config';
import { gpt2AnalysisWeights } from '../model/gpt2AnalysisWeights';
import { buildGpt2Graph, gpt2ManifestModel } from '../model/gpt2Graph';
import { readGpt2Weights } from '../model/gpt2Weights';
import { parseProcessingParam, processingParam, processWeights, TL_DEFAULT_PROCESSING, type ModelProcessing } from '../model/weightProcessing';
import { EngineError, errorCode } from '../../errors/engineError';
import type { Manifest } from './manifest';

export const HF_CONFIG = 'config.json';
export const HF_WEIGHTS = 'model.safetensors';
export const HF_TOKENIZER = 'tokenizer.json';
/** The names under which the built files are asked for (never fetched). */
export const BUILT_GRAPH = 'hooked graph built from model.safetensors';
export const BUILT_ANALYSIS_WEIGHTS = 'analysis weights from model.safetensors';

const GIB = 1024 ** 3;
/** onnxruntime-web's wasm heap cannot grow past 4 GiB; a device that says how much memory it has gets half of it. */
const WASM_LIMIT_BYTES = 4 * GIB;

/** What a manifest made from config.json adds: how the weights were processed. */
export interface HfManifest extends Manifest {
  hf: { config: Gpt2Config; processing: ModelProcessing };
}

export function isHfManifest(m: Manifest): m is HfManifest {
  return 'hf' in m && typeof (m as { hf?: unknown }).hf === 'object';
}

/** Bytes this device can give the model: half its memory where it says, never past wasm's limit. */
export function memoryBudgetBytes(): number {
  const deviceGiB = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  return typeof deviceGiB === 'number' && deviceGiB > 0 ? Math.min(WASM_LIMIT_BYTES, (deviceGiB * GIB) / 2) : WASM_LIMIT_BYTES;
}

/** The processing asked for in the folder address's query, TransformerLens's defaults without one. */
export function processingOfLocation(baseUrl: string): ModelProcessing {
  const asked = new URL(baseUrl).searchParams.get('processing');
  if (asked === null) return { ...TL_DEFAULT_PROCESSING };
  const p = parseProcessingParam(asked);
  if (!p) {
    throw new EngineError(
      `processing=${asked} names an unknown setting; give "none" or a comma-separated list of fold_ln, center_writing_weights, center_unembed, fold_value_biases.`,
      baseUrl,
    );
  }
  return p;
}

/**
 * The manifest of a Hugging Face folder, from its config.json; refuses a model of another
 * architecture, and one too large for `budgetBytes`, before any weight is downloaded.
 */
export function hfManifest(configJson: unknown, baseUrl: string, budgetBytes = memoryBudgetBytes()): HfManifest {
  const config = parseGpt2Config(configJson, HF_CONFIG);
  const peak = estimatedPeakBytes(config);
  if (peak > budgetBytes) {
    throw new EngineError(
      `${HF_CONFIG}: this model has ${(parameterCount(config) / 1e6).toFixed(0)}M parameters and would need about ${(peak / GIB).toFixed(1)} GiB ` +
        `while it is built, more than the ${(budgetBytes / GIB).toFixed(1)} GiB this browser can give it. Nothing was downloaded; ` +
        'try a smaller model.',
      HF_CONFIG,
      'out-of-memory',
    );
  }
  return {
    format: 'sae-explorer-bundle',
    version: 1,
    name: hfModelName(baseUrl),
    model: gpt2ManifestModel(config, { onnx: BUILT_GRAPH, weights: BUILT_ANALYSIS_WEIGHTS }),
    tokenizer: HF_TOKENIZER,
    saes: [],
    hf: { config, processing: processingOfLocation(baseUrl) },
  };
}

/** "openai-community/gpt2" for a Hub address, else the folder's name. */
export function hfModelName(baseUrl: string): string {
  const url = new URL(baseUrl);
  const hub = /^\/([^/]+\/[^/]+)\/resolve\//.exec(url.pathname);
  if (url.hostname === 'huggingface.co' && hub) return hub[1]!;
  return url.pathname.split('/').filter(Boolean).pop() ?? url.hostname;
}

/**
 * The two built files of an opened folder, each built when asked for from `fetchWeights`' bytes
 * (the Cache API's copy after the first download). Nothing is kept between requests: GPT-2 small's
 * processed weights would hold 650 MB for the session, to save a few seconds when generation first
 * builds its decoder from the graph.
 */
export function hfBuiltFiles(manifest: HfManifest, fetchWeights: () => Promise<Uint8Array>): Map<string, () => Promise<Uint8Array>> {
  const { config, processing } = manifest.hf;
  const weights = () =>
    fetchWeights().catch((err: unknown) => {
      if (errorCode(err) !== 'not-found') throw err;
      throw new EngineError(
        `${HF_WEIGHTS} is not in the folder. Only a single safetensors file is read: a checkpoint split in shards ` +
          '(model.safetensors.index.json) or saved as pytorch_model.bin is not supported.',
        HF_WEIGHTS,
        'not-found',
      );
    });
  const processed = async () => processWeights(await readGpt2Weights(await weights(), config, HF_WEIGHTS), config, processing);
  return new Map([
    [BUILT_GRAPH, async () => buildGpt2Graph(await processed(), config)],
    [BUILT_ANALYSIS_WEIGHTS, async () => gpt2AnalysisWeights(await processed(), config)],
  ]);
}

/** How the model was processed, for the reader: "TransformerLens defaults" or the settings on. */
export function describeProcessing(p: ModelProcessing): string {
  return processingParam(p) === processingParam(TL_DEFAULT_PROCESSING) ? 'TransformerLens defaults' : processingParam(p);
}
