/**
 * Loads an SAE from its files in any supported format, telling the format apart by which files
 * exist and, for a URL folder where that is unknown, by what cfg.json holds.
 */
import { EngineError, type Sae, type SaeFormat } from '../types';
import { GEMMA_SCOPE_PARAMS, loadGemmaScope } from './gemmaScopeFormat';
import { loadSaeLens, SAELENS_WEIGHTS, type SaeLoadOptions } from './saelensFormat';
import { openByteSource } from './byteSource';
import { readJson, type SaeFiles } from './saeFiles';
import { loadSparsify, SPARSIFY_WEIGHTS } from './sparsifyFormat';

export type { SaeLoadOptions } from './saelensFormat';

export async function loadSae(files: SaeFiles, options: SaeLoadOptions & { format?: SaeFormat } = {}): Promise<Sae> {
  const format: Detected = options.format ? { format: options.format } : await detectFormat(files);
  if (format.format === 'gemmascope') return loadGemmaScope(files, options);
  if (format.format === 'sparsify') return loadSparsify(files, options, format.cfg);
  return loadSaeLens(files, options, format.cfg);
}

type Detected = { format: SaeFormat; cfg?: Record<string, unknown> };

async function detectFormat(files: SaeFiles): Promise<Detected> {
  if (files.has(GEMMA_SCOPE_PARAMS) === true) return { format: 'gemmascope' };
  if (files.has('cfg.json') === false) {
    throw new EngineError(
      `${files.label} holds neither cfg.json (SAELens, sparsify) nor ${GEMMA_SCOPE_PARAMS} (Gemma Scope); pick the folder of one SAE.`,
      files.label,
    );
  }
  if (files.has(SPARSIFY_WEIGHTS) === true && files.has(SAELENS_WEIGHTS) !== true) return { format: 'sparsify' };
  if (files.has(SAELENS_WEIGHTS) === true) return { format: 'saelens' };
  let cfg: Record<string, unknown>;
  try {
    cfg = await readJson(files, 'cfg.json');
  } catch (err) {
    // A URL folder without cfg.json may still be a Gemma Scope folder; if it lacks both, say so.
    if (files.has('cfg.json') === null && err instanceof EngineError && err.code === 'not-found') {
      if (await readable(files, GEMMA_SCOPE_PARAMS)) return { format: 'gemmascope' };
      throw new EngineError(`${err.message} Nor is there a ${GEMMA_SCOPE_PARAMS} (Gemma Scope): is this the link to the folder of one SAE?`, err.source);
    }
    throw err;
  }
  if ('d_sae' in cfg || 'architecture' in cfg || 'hook_name' in cfg || 'hook_point' in cfg || 'metadata' in cfg) return { format: 'saelens', cfg };
  if ('expansion_factor' in cfg || 'num_latents' in cfg) return { format: 'sparsify', cfg };
  throw new EngineError(
    `${files.describe('cfg.json')} looks like neither a SAELens config (d_sae, architecture, hook_name) nor a sparsify one (expansion_factor, num_latents).`,
    files.describe('cfg.json'),
  );
}

/** Whether the first byte of file `name` can be read (a URL folder's files are known only by asking). */
async function readable(files: SaeFiles, name: string): Promise<boolean> {
  const source = openByteSource(files.get(name), { ...files.readOptions(name), onRead: undefined });
  try {
    await source.read(0, 1);
    return true;
  } catch {
    return false;
  } finally {
    source.close();
  }
}
