/**
 * The bundle's precomputed latent maps: for each SAE with dashboards, its map.bin beside them and
 * its index.json naming it (so the page asks only for maps that exist). Reads what the dashboards
 * already hold and computes nothing else, so the maps can be redone alone, in seconds per SAE,
 * instead of with a corpus pass.
 */
import { parseSaeDashboardHead, saeDashboardDir } from '../../dashboardData/dashboardIndex';
import { encodeLatentMap, MAP_FILE } from '../../dashboardData/latentMap';
import type { OutputFile } from '../analysis/precomputeDashboards';
import type { Engine } from '../engine';
import { saeLatentMap } from './saeMap';
import type { TsneSettings } from './tsne';

export interface MapProgress {
  saeId: string;
  done: number;
  total: number;
  /** KL divergence and seconds of the map just finished */
  finished?: { kl: number; seconds: number };
}

/** map.bin and the updated index.json of each SAE of `saeIds` (default: every SAE of the bundle). */
export async function precomputeLatentMaps(
  engine: Engine,
  saeIds: string[] = engine.manifest.saes.map((s) => s.id),
  settings: Partial<TsneSettings> = {},
  onProgress?: (p: MapProgress) => void,
): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const [done, saeId] of saeIds.entries()) {
    onProgress?.({ saeId, done, total: saeIds.length });
    const dir = saeDashboardDir(saeId);
    const head = parseSaeDashboardHead(await engine.bundle.json(`${dir}/index.json`), `${dir}/index.json`);
    const started = performance.now();
    const map = await saeLatentMap(engine, saeId, settings);
    files.push({ path: `${dir}/${MAP_FILE}`, bytes: encodeLatentMap(map) });
    files.push({ path: `${dir}/index.json`, bytes: new TextEncoder().encode(JSON.stringify({ ...head, map: MAP_FILE })) });
    onProgress?.({ saeId, done: done + 1, total: saeIds.length, finished: { kl: map.kl, seconds: (performance.now() - started) / 1000 } });
  }
  return files;
}
