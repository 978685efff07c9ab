/**
 * Latent maps: for each SAE (or set of SAEs, for a joint map) the layout shown, where it came from
 * (the bundle's precomputed map, or a t-SNE run in this browser), the run under way with its
 * progress and Cancel, and what failed. A run streams its layouts, so the map animates as it forms;
 * a cancelled run leaves the map it started from.
 */
import { create } from 'zustand';
import { dashboardSourceFor } from '../dashboardData/dashboardSource';
import type { JointLatentMap } from '../engine/tsne/saeMap';
import type { TsneProgress, TsneSettings } from '../engine/tsne/tsne';
import { errorCode } from '../errors/engineError';
import { toAppError, type AppError } from './appError';
import { useLoadStore } from './loadStore';
import { request } from './session';

export interface MapLayout {
  /** [n, 2] */
  xy: Float32Array;
  /** KL divergence of the finished layout (null while a run streams) */
  kl: number | null;
  origin: 'precomputed' | 'live';
  /** joint maps: whose latents are where (xy's rows starts[s]… belong to saeIds[s]) */
  joint?: Pick<JointLatentMap, 'saeIds' | 'starts'>;
}

export interface MapEntry {
  layout: MapLayout | null;
  /** the precomputed map is being fetched */
  loading: boolean;
  /** a t-SNE run in this browser: its latest progress and what stops it */
  run: { progress: TsneProgress | null; stop: AbortController } | null;
  error: AppError | null;
  /** the last run was cancelled by the reader */
  cancelled: boolean;
}

interface MapState {
  /** by map key: an SAE id, or jointKey(ids) */
  maps: Record<string, MapEntry>;
  /** Shows SAE `saeId`'s map: the bundle's precomputed one, else a live run. */
  open(saeId: string): Promise<void>;
  /** Runs t-SNE in this browser for an SAE, or several (a joint map), replacing the map when done. */
  recompute(saeIds: string[], settings?: Partial<TsneSettings>): Promise<void>;
  cancel(key: string): void;
}

/** Where each SAE's latents sit in a joint map's rows: in the order given, one after another. */
function jointParts(saeIds: string[]): { saeIds: string[]; starts: number[] } {
  const { saes } = useLoadStore.getState();
  const starts: number[] = [];
  let n = 0;
  for (const id of saeIds) {
    starts.push(n);
    n += saes.find((s) => s.id === id)?.dSae ?? 0;
  }
  return { saeIds, starts };
}

/** The key of the joint map of several SAEs (order does not matter). */
export function jointKey(saeIds: readonly string[]): string {
  return `joint:${[...saeIds].sort().join(',')}`;
}

export function mapKey(saeIds: readonly string[]): string {
  return saeIds.length === 1 ? saeIds[0]! : jointKey(saeIds);
}

const EMPTY: MapEntry = { layout: null, loading: false, run: null, error: null, cancelled: false };

export const useMapStore = create<MapState>()((set, get) => {
  const update = (key: string, change: Partial<MapEntry>) =>
    set((s) => ({ maps: { ...s.maps, [key]: { ...(s.maps[key] ?? EMPTY), ...change } } }));

  return {
    maps: {},

    open: async (saeId) => {
      const entry = get().maps[saeId];
      if (entry && (entry.layout || entry.loading || entry.run)) return;
      const { saes, bundleUrl } = useLoadStore.getState();
      const bundled = saes.find((s) => s.id === saeId)?.source !== 'user';
      if (bundled) {
        update(saeId, { loading: true, error: null });
        try {
          const map = await dashboardSourceFor(bundleUrl).latentMap(saeId);
          if (map) {
            update(saeId, { loading: false, layout: { xy: map.xy, kl: map.kl, origin: 'precomputed' } });
            return;
          }
          update(saeId, { loading: false });
        } catch (err) {
          // No dashboards at all for this SAE is no reason not to draw it: compute it here instead.
          update(saeId, { loading: false, ...(errorCode(err) === 'not-found' ? {} : { error: toAppError('Could not load the precomputed map', err) }) });
          if (errorCode(err) !== 'not-found') return;
        }
      }
      await get().recompute([saeId]);
    },

    recompute: async (saeIds, settings) => {
      const key = mapKey(saeIds);
      if (get().maps[key]?.run) return;
      const stop = new AbortController();
      const before = get().maps[key]?.layout ?? null;
      const joint = saeIds.length > 1 ? { joint: jointParts(saeIds) } : {};
      update(key, { run: { progress: null, stop }, error: null, cancelled: false });
      const current = () => get().maps[key]?.run?.stop === stop;
      const onProgress = (progress: TsneProgress) => {
        if (!current()) return;
        const streamed = progress.xy ? { layout: { xy: progress.xy, kl: null, origin: 'live' as const, ...joint } } : {};
        update(key, { run: { progress, stop }, ...streamed });
      };
      try {
        const options = { onProgress, signal: stop.signal };
        let layout: MapLayout;
        if (saeIds.length === 1) {
          const done = await request('tsne', { saeId: saeIds[0]!, ...(settings ? { settings } : {}) }, options);
          layout = { xy: done.xy, kl: done.kl, origin: 'live' };
        } else {
          const done = await request('jointTsne', { saeIds, ...(settings ? { settings } : {}) }, options);
          layout = { xy: done.xy, kl: done.kl, origin: 'live', joint: { saeIds: done.saeIds, starts: done.starts } };
        }
        if (current()) update(key, { run: null, layout });
      } catch (err) {
        if (!current()) return;
        const cancelled = errorCode(err) === 'cancelled';
        update(key, { run: null, layout: before, cancelled, error: cancelled ? null : toAppError('Could not compute the map', err) });
      }
    },

    cancel: (key) => get().maps[key]?.run?.stop.abort(),
  };
});
