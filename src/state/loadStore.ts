/** What is loaded: the bundle's per-file download progress and its steps, then its manifest, SAEs and backend. */
import { create } from 'zustand';
import type { Manifest } from '../engine/bundle/manifest';
import type { SaeInfo } from '../engine/engine';
import type { BackendInfo, LoadEvent, LoadProgress, LoadStep } from '../engine/types';
import type { LoadedBundle } from '../worker/protocol';
import type { AppError } from './appError';

export type LoadStatus = 'loading' | 'ready' | 'failed';

export type LoadSteps = Partial<Record<LoadStep['step'], LoadStep>>;

interface LoadState {
  status: LoadStatus;
  /** absolute URL of the bundle folder being loaded */
  bundleUrl: string;
  /** one entry per file, in the order the downloads started */
  files: LoadProgress[];
  /** the steps between downloads (runtime start, session build, warm-up), each's latest event */
  steps: LoadSteps;
  manifest: Manifest | null;
  backend: BackendInfo | null;
  saes: SaeInfo[];
  error: AppError | null;
  /** the engine stopped after loading and was restarted (why), until the reader dismisses it */
  restartNotice: AppError | null;

  begin(bundleUrl: string): void;
  progress(e: LoadEvent): void;
  loaded(info: LoadedBundle): void;
  failed(error: AppError): void;
  engineRestarted(why: AppError): void;
  dismissRestartNotice(): void;
}

export const useLoadStore = create<LoadState>()((set) => ({
  status: 'loading',
  bundleUrl: '',
  files: [],
  steps: {},
  manifest: null,
  backend: null,
  saes: [],
  error: null,
  restartNotice: null,

  begin: (bundleUrl) => set({ status: 'loading', bundleUrl, files: [], steps: {}, error: null }),
  progress: (e) => set((s) => ('step' in e ? { steps: { ...s.steps, [e.step]: e } } : { files: upsertProgress(s.files, e) })),
  loaded: (info) =>
    set({ status: 'ready', manifest: info.manifest, backend: info.backend, saes: info.saes, error: null }),
  failed: (error) => set({ status: 'failed', error }),
  engineRestarted: (why) => set({ restartNotice: why }),
  dismissRestartNotice: () => set({ restartNotice: null }),
}));

/** Replaces the entry for `p.file`, or appends it when the file is new. */
export function upsertProgress(files: LoadProgress[], p: LoadProgress): LoadProgress[] {
  const i = files.findIndex((f) => f.file === p.file);
  if (i < 0) return [...files, p];
  const next = files.slice();
  next[i] = p;
  return next;
}
