/**
 * The held-out corpus the reader's corpus panels and measurements run over, as the worker holds it:
 * the bundle's, a bundle's text re-tokenised for a model of another tokenizer, or plain text the
 * reader gave. Asked for once a view needs it (text takes a few seconds to tokenise). A corpus that
 * changes drops what was computed over the old one; a refused file leaves the corpus as it was.
 */
import { create } from 'zustand';
import type { CorpusInfo } from '../engine/analysis/heldoutCorpus';
import { toAppError, type AppError } from './appError';
import { useComputedDashboards } from './computedDashboards';
import { useLoadStore } from './loadStore';
import { useSaeMeasurements } from './saeQuality';
import { request } from './session';

interface CorpusState {
  info: CorpusInfo | null;
  /** 'reading': the worker is reading or tokenising a corpus; `info` is the one in use meanwhile */
  status: 'idle' | 'reading' | 'ready' | 'failed';
  /** why the last corpus asked for is not in use */
  error: AppError | null;
  /** asks the worker for the corpus in use, once */
  ensure(): void;
  /** the reader's files become the corpus (null: back to the bundle's) */
  use(files: File[] | null): Promise<void>;
}

/** Counts every ask, so that an answer for a corpus since replaced (or a bundle since reloaded) is dropped. */
let asked = 0;

export const useCorpusStore = create<CorpusState>()((set, get) => ({
  info: null,
  status: 'idle',
  error: null,

  ensure: () => {
    if (get().status !== 'idle') return;
    const mine = ++asked;
    set({ status: 'reading', error: null });
    request('corpusInfo', {}).then(
      (info) => mine === asked && set({ info, status: 'ready' }),
      (err: unknown) => mine === asked && set({ status: 'failed', error: toAppError('No held-out corpus', err) }),
    );
  },

  use: async (files) => {
    const mine = ++asked;
    set({ status: 'reading', error: null });
    try {
      const given = files && (await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
      const info = await request('useCorpus', { files: given });
      if (mine !== asked) return;
      set({ info, status: 'ready' });
      forgetComputed();
    } catch (err) {
      if (mine !== asked) return;
      set((s) => ({ status: s.info ? 'ready' : 'failed', error: toAppError(files ? 'This text cannot be the corpus' : 'No held-out corpus', err) }));
    }
  },
}));

/** Panels and measurements over the old corpus would be shown as if over the new one: they go. */
function forgetComputed(): void {
  for (const run of Object.values(useComputedDashboards.getState().runs)) if (run.status === 'running') run.stop.abort();
  useComputedDashboards.setState({ computed: {}, shown: {}, runs: {} });
  for (const run of Object.values(useSaeMeasurements.getState().runs)) if (run.status === 'running') run.stop.abort();
  useSaeMeasurements.setState({ runs: {} });
}

/** A bundle (re)loading starts with its own corpus: the worker forgot the reader's. Called once by startStores. */
export function startCorpus(): void {
  useLoadStore.subscribe((state, prev) => {
    if (state.status === 'loading' && prev.status !== 'loading') {
      asked++;
      useCorpusStore.setState({ info: null, status: 'idle', error: null });
    }
  });
}
