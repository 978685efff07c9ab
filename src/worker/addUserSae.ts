/**
 * Loads one of the reader's SAEs into the engine: reads its files (reporting bytes per file as they
 * arrive), checks it against the model, gives it a readable id no other SAE has, and for a URL
 * hands back the files it downloaded, whole, so the page can keep them for the next visit.
 */
import { isHfManifest } from '../engine/bundle/hfFolder';
import type { Engine } from '../engine/engine';
import { processingMismatch, saeTrainingProcessing } from '../engine/model/weightProcessing';
import { openByteSource } from '../engine/sae/byteSource';
import { loadSae } from '../engine/sae/loadSae';
import { readJson, type SaeFiles } from '../engine/sae/saeFiles';
import { EngineError, type LoadProgress, type Sae } from '../engine/types';
import { KeptBytes } from './keptBytes';
import type { SaeAdded, UserSaeSource } from './protocol';
import { userSaeFiles } from './userSaeFiles';
import { userSaeId } from './userSaeId';

/** Progress messages per file at most this often (a large file arrives in thousands of chunks). */
const PROGRESS_INTERVAL_MS = 100;

export interface AddUserSaeOptions {
  /** the id to give it (when it is loaded again after a reload); made from its folder or kind otherwise */
  saeId?: string;
  /** ids a made id must not take besides the engine's (those kept for other models) */
  reserved?: readonly string[];
  onProgress?: (p: LoadProgress) => void;
}

export async function addUserSae(engine: Engine, source: UserSaeSource, options: AddUserSaeOptions = {}): Promise<Omit<SaeAdded, 'saes'>> {
  const report = options.onProgress ?? (() => {});
  const read = new Map<string, KeptBytes>();
  const lastReport = new Map<string, number>();
  const progress = (file: string, kept: KeptBytes, status: LoadProgress['status']): LoadProgress => ({
    file,
    status,
    loadedBytes: kept.loadedBytes,
    totalBytes: kept.totalBytes,
  });
  const { files, folder } = userSaeFiles(source, {
    onRead(name, chunk) {
      let kept = read.get(name);
      if (!kept) {
        kept = new KeptBytes();
        read.set(name, kept);
        report(progress(name, kept, 'initiate'));
      }
      kept.add(chunk);
      const now = Date.now();
      if (now - (lastReport.get(name) ?? 0) >= PROGRESS_INTERVAL_MS || kept.loadedBytes === kept.totalBytes) {
        lastReport.set(name, now);
        report(progress(name, kept, 'progress'));
      }
    },
  });

  const loaded = await loadSae(files, source.hookName ? { hookName: source.hookName } : {});
  for (const [name, kept] of read) report(progress(name, kept, 'done'));
  await checkTrainedProcessing(engine, loaded, files);
  const taken = new Set([...engine.listSaes().filter((s) => s.source === 'bundle' || s.id !== options.saeId).map((s) => s.id), ...(options.reserved ?? [])]);
  const saeId = options.saeId ?? userSaeId(loaded, folder, taken);
  await engine.addSae({ ...loaded, id: saeId });
  if (source.kind !== 'url') return { saeId, hookName: loaded.hookName };

  const downloaded = [];
  for (const [name, kept] of read) {
    const bytes = await kept.whole(() => openByteSource(files.get(name), { ...files.readOptions(name), onRead: undefined }));
    downloaded.push({ path: `${folder ?? 'sae'}/${name}`, file: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
  }
  return { saeId, hookName: loaded.hookName, downloaded };
}

/**
 * A model built from Hugging Face weights is processed (or not) as its address says; an SAE trained
 * on other processing would read different activations at its hook, so it is refused with how to
 * open the model for it.
 */
async function checkTrainedProcessing(engine: Engine, sae: Sae, files: SaeFiles): Promise<void> {
  const { manifest } = engine;
  if (!isHfManifest(manifest)) return;
  const cfg = sae.format === 'saelens' ? await readJson(files, 'cfg.json') : null;
  const problem = processingMismatch(manifest.hf.processing, saeTrainingProcessing(sae.format, cfg), sae.hookName);
  if (problem) throw new EngineError(`${files.label}: ${problem}`, files.label);
}
