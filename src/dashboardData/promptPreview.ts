/**
 * The prompt view's first paint: the activations of the demo's default text on the default SAE,
 * computed by the engine at build time (scripts/precompute-prompt-preview.ts) and kept in the bundle
 * as dashboards/prompt-preview.json, so that the view shows real results while the model loads and
 * the live ones replace them unchanged. Activations are kept sparse (the nonzero ones per token);
 * JSON numbers hold float32 values exactly.
 */
import type { SaeInfo } from '../engine/engine';
import type { PromptActivations } from '../worker/protocol';
import { DASHBOARDS_DIR } from './dashboardIndex';

/** Where the preview sits in a bundle (and its key in the manifest's `files`). */
export const PROMPT_PREVIEW_FILE = `${DASHBOARDS_DIR}/prompt-preview.json`;
const FORMAT = 'sae-explorer-prompt-preview';
const VERSION = 1;

export interface PromptPreview {
  /** the bundle's SAEs as the engine lists them, so the picker reads the same before and after the model loads */
  saes: SaeInfo[];
  /** computed on `saes`' first, the one the view starts with */
  activations: PromptActivations;
}

interface PreviewFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  saes: SaeInfo[];
  saeId: string;
  text: string;
  ids: number[];
  tokens: string[];
  special: boolean[];
  truncated: boolean;
  nCtx: number;
  dSae: number;
  /** per token, its nonzero features and their values, by index */
  active: { features: number[]; values: number[] }[];
}

/** The file for `activations`, computed by the engine that lists `saes`. */
export function encodePromptPreview({ saes, activations: a }: PromptPreview): string {
  const active = [];
  for (let t = 0; t < a.nTokens; t++) {
    const row = a.acts.subarray(t * a.dSae, (t + 1) * a.dSae);
    const features: number[] = [];
    const values: number[] = [];
    row.forEach((v, i) => {
      if (v !== 0) {
        features.push(i);
        values.push(v);
      }
    });
    active.push({ features, values });
  }
  const file: PreviewFile = {
    format: FORMAT,
    version: VERSION,
    saes,
    saeId: a.saeId,
    text: a.text,
    ids: a.ids,
    tokens: a.tokens,
    special: a.special,
    truncated: a.truncated,
    nCtx: a.nCtx,
    dSae: a.dSae,
    active,
  };
  return `${JSON.stringify(file)}\n`;
}

/** The preview in `json`, or an error saying what is wrong with it (`path` names the file). */
export function parsePromptPreview(json: unknown, path: string): PromptPreview {
  const fail = (what: string): never => {
    throw new Error(`${path} is not a prompt preview: ${what}. Recompute it with \`npx tsx scripts/precompute-prompt-preview.ts <bundle folder>\`.`);
  };
  const f = (typeof json === 'object' && json !== null ? json : fail('not an object')) as Partial<PreviewFile>;
  if (f.format !== FORMAT || f.version !== VERSION) fail(`format ${String(f.format)} version ${String(f.version)}, expected ${FORMAT} ${VERSION}`);
  const { saes, saeId, text, ids, tokens, special, active, dSae, nCtx } = f;
  if (!Array.isArray(saes) || !saes.some((s: Partial<SaeInfo> | null) => s?.id === saeId && typeof s?.title === 'string')) fail('its SAE is not among its SAEs');
  if (typeof text !== 'string' || !Array.isArray(ids) || !Array.isArray(tokens) || !Array.isArray(special) || !Array.isArray(active)) fail('a field is missing');
  const nTokens = ids!.length;
  if (tokens!.length !== nTokens || special!.length !== nTokens || active!.length !== nTokens) fail('its per-token lists differ in length');
  if (!Number.isInteger(dSae) || dSae! < 1 || !Number.isInteger(nCtx)) fail('no dSae or nCtx');
  const acts = new Float32Array(nTokens * dSae!);
  active!.forEach((row, t) => {
    if (!row || !Array.isArray(row.features) || !Array.isArray(row.values) || row.features.length !== row.values.length) fail(`token ${t} has no features`);
    row.features.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= dSae!) fail(`token ${t} names feature ${i}`);
      acts[t * dSae! + i] = row.values[k]!;
    });
  });
  return {
    saes: saes!,
    activations: { text: text!, saeId: saeId!, ids: ids!, tokens: tokens!, special: special!, truncated: f.truncated === true, nCtx: nCtx!, nTokens, dSae: dSae!, acts },
  };
}
