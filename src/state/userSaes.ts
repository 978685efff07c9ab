/**
 * The reader's own SAEs ("bring your own SAE"): loading one from dropped files or a URL in the
 * engine worker, with progress per file, listing and removing them, and loading them again after a
 * reload (from IndexedDB, where a URL's files are kept too) or after the bundle is reloaded — each on the
 * model it was added to: another model's SAEs would not fit it.
 */
import { create } from 'zustand';
import type { SaeInfo } from '../engine/engine';
import type { LoadProgress } from '../engine/types';
import type { SaeAdded, UserSaeSource } from '../worker/protocol';
import { toAppError, type AppError } from './appError';
import { upsertProgress, useLoadStore } from './loadStore';
import { usePromptStore } from './promptStore';
import { reanalyze, request } from './session';
import { canPersist, deleteSae, keptFor, keptModelKey, saveSae, storedSaes, type StoredSae } from './userSaesDb';

export interface UserSaeEntry {
  id: string;
  /** the file names or URL it came from, for the list */
  origin: string;
}

interface UserSaesState {
  saes: UserSaeEntry[];
  /** what is being loaded now ("3 files", a URL), or null */
  loading: string | null;
  /** bytes read of each file of the SAE being loaded */
  progress: LoadProgress[];
  error: AppError | null;
  /** the hook the next SAE reads, where its files do not say; '' trusts the files */
  hookName: string;
  /** ids of the SAEs kept in this browser for the model loaded, null until IndexedDB has answered */
  keptIds: string[] | null;
  /** ids kept for other models: an SAE added now gets none of them, so that keeping it replaces none */
  keptElsewhere: string[];
  /** the kept SAEs are (still to be) loaded again into the engine */
  restoring: boolean;
  /** SAEs given while the model or another SAE was loading: added in turn once it is their turn, never dropped */
  queued: QueuedSae[];

  setHookName(hookName: string): void;
  add(source: UserSaeSource): Promise<void>;
  remove(id: string): Promise<void>;
  dismissError(): void;
}

export interface QueuedSae {
  source: UserSaeSource;
  /** as the list shows it */
  origin: string;
  /** named in the page's address (`?sae_url=`): skipped when an SAE from the same URL is already loaded */
  fromAddress?: boolean;
}

export function describeSource(source: UserSaeSource): string {
  if (source.kind === 'url') return source.url;
  const names = source.files.map((f) => f.path);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** What to keep of a loaded SAE: its files (a URL's as downloaded), and the hook it was found to read. */
export function keptSource(source: UserSaeSource, added: Pick<SaeAdded, 'hookName' | 'downloaded'>): UserSaeSource {
  if (source.kind === 'url') {
    if (!added.downloaded) throw new Error('The worker kept no files of an SAE loaded from a URL.');
    return { kind: 'files', files: added.downloaded, hookName: added.hookName };
  }
  return { ...source, hookName: added.hookName };
}

function requireLoaded(): void {
  if (useLoadStore.getState().status !== 'ready') {
    throw new Error('The model is not loaded yet; wait for it, then add your SAE again.');
  }
}

function showSaes(saes: SaeInfo[]): void {
  useLoadStore.setState({ saes });
}

/** Loads `source` in the worker (as `saeId` when given). */
async function load(source: UserSaeSource, origin: string, saeId?: string): Promise<SaeAdded> {
  useUserSaes.setState({ loading: origin, progress: [] });
  requireLoaded();
  const reserved = useUserSaes.getState().keptElsewhere;
  const added = await request('addSae', { source, ...(saeId !== undefined ? { saeId } : { reserved }) }, {
    onProgress: (p) => useUserSaes.setState((s) => ({ progress: upsertProgress(s.progress, p) })),
  });
  showSaes(added.saes);
  useUserSaes.setState((s) => ({
    saes: [...s.saes.filter((e) => e.id !== added.saeId), { id: added.saeId, origin }],
  }));
  return added;
}

export const useUserSaes = create<UserSaesState>()((set, get) => ({
  saes: [],
  loading: null,
  progress: [],
  error: null,
  hookName: '',
  keptIds: canPersist ? null : [],
  keptElsewhere: [],
  restoring: canPersist,
  queued: [],

  setHookName: (hookName) => set({ hookName }),

  async add(given) {
    const { hookName } = get();
    const source = hookName && !given.hookName ? { ...given, hookName } : given;
    const origin = describeSource(source);
    if (!canStartNow()) {
      // A drop while the model or another SAE loads waits its turn (drainQueue), and the panel lists it.
      set((s) => ({ queued: [...s.queued, { source, origin }] }));
      return;
    }
    set({ error: null });
    try {
      const added = await load(source, origin);
      usePromptStore.getState().setSaeId(added.saeId);
      set({ loading: null });
      if (canPersist) {
        await saveSae({ id: added.saeId, source: keptSource(source, added), origin, model: keptModelKey(useLoadStore.getState().bundleUrl), addedAt: Date.now() });
        set((s) => ({ keptIds: [...(s.keptIds ?? []).filter((id) => id !== added.saeId), added.saeId] }));
      }
    } catch (err) {
      const what = source.kind === 'url' ? 'from the URL' : 'from the files you gave';
      set({ loading: null, error: toAppError(`Your SAE could not be loaded ${what}`, err) });
    }
    drainQueue();
  },

  async remove(id) {
    // Forgotten by the browser before it leaves the list: a reload right after never brings it back.
    if (canPersist) {
      try {
        await deleteSae(id);
      } catch (err) {
        // Kept in storage, it would come back after a reload: it stays, and the reader can try again.
        set({ error: toAppError(`Your SAE “${id}” could not be removed from this browser’s storage, so it was kept`, err) });
        return;
      }
    }
    try {
      requireLoaded();
      const { saes } = await request('removeSae', { saeId: id });
      showSaes(saes);
      const prompt = usePromptStore.getState();
      if (prompt.saeId === id && saes[0]) prompt.setSaeId(saes[0].id);
    } catch (err) {
      set({ error: toAppError(`SAE “${id}” could not be removed`, err) });
    }
    set((s) => ({ saes: s.saes.filter((e) => e.id !== id), keptIds: s.keptIds?.filter((k) => k !== id) ?? null }));
  },

  dismissError: () => set({ error: null }),
}));

/**
 * Whether `saeId` is one of the reader's SAEs: loaded, or kept in this browser and still to be
 * loaded again; null while IndexedDB has not answered.
 */
export function useIsUserSae(saeId: string): boolean | null {
  const loaded = useLoadStore((s) => s.saes.some((x) => x.id === saeId && x.source === 'user'));
  const kept = useUserSaes((s) => (s.keptIds === null ? null : s.keptIds.includes(saeId)));
  return loaded || kept;
}

/** The SAEs kept for the model loaded (those of other models stay kept, for when it is opened again). */
async function readKept(): Promise<StoredSae[] | null> {
  try {
    const stored = await storedSaes();
    const { bundleUrl } = useLoadStore.getState();
    const mine = stored.filter((e) => keptFor(e, bundleUrl));
    useUserSaes.setState({ keptIds: mine.map((e) => e.id), keptElsewhere: stored.filter((e) => !keptFor(e, bundleUrl)).map((e) => e.id) });
    return mine;
  } catch (err) {
    useUserSaes.setState({ keptIds: [], error: toAppError('Your saved SAEs could not be read from this browser', err) });
    return null;
  }
}

/** Loads the kept SAEs again into a freshly loaded engine (at startup, or after a bundle reload). */
async function restore(): Promise<void> {
  if (!canPersist) return;
  // Read now: until the reader's SAEs are back, the prompt falls back to one of the bundle's.
  const wanted = usePromptStore.getState().saeId;
  useUserSaes.setState({ restoring: true });
  const stored = await readKept();
  if (stored === null) {
    useUserSaes.setState({ restoring: false });
    drainQueue();
    return;
  }
  useUserSaes.setState({ saes: [] });
  for (const entry of stored) {
    const origin = entry.origin ?? describeSource(entry.source);
    try {
      const { saeId } = await load(entry.source, origin, entry.id);
      // Selected already (a model with no SAEs of its own kept the selection), it failed to run before it was back: run it now.
      if (saeId === wanted && usePromptStore.getState().saeId === saeId) reanalyze();
      else if (saeId === wanted) usePromptStore.getState().setSaeId(saeId);
    } catch (err) {
      // Still listed, so the reader can remove it; the card says why it did not load.
      useUserSaes.setState((s) => ({
        saes: [...s.saes, { id: entry.id, origin }],
        error: toAppError(`Your saved SAE “${entry.id}” could not be loaded again`, err),
      }));
    }
  }
  useUserSaes.setState({ loading: null, restoring: false });
  drainQueue();
}

/** Whether an SAE given now can load at once: the model is loaded, and no other SAE is loading. */
function canStartNow(): boolean {
  const { loading, restoring } = useUserSaes.getState();
  return useLoadStore.getState().status === 'ready' && loading === null && !restoring;
}

/** Adds the first SAE that waited for its turn, if its turn has come (each add drains the next). */
function drainQueue(): void {
  const [next, ...rest] = useUserSaes.getState().queued;
  if (!next || !canStartNow()) return;
  useUserSaes.setState({ queued: rest });
  // A link's SAE, kept since an earlier visit, is back already: once is enough.
  if (next.fromAddress && useUserSaes.getState().saes.some((e) => e.origin === next.origin)) return drainQueue();
  void useUserSaes.getState().add(next.source);
}

/**
 * Reads which SAEs this browser keeps, and loads them again whenever the engine has loaded a bundle
 * (at start-up, after "Load again", and after the engine worker was restarted), then the SAEs the
 * page's address names.
 * Called once when the app starts (startStores), never on import.
 */
export function startUserSaes(fromAddress: readonly string[] = []): void {
  // SAEs the page's address names (`?sae_url=<folder URL>`) wait for the model, as a drop during its load does.
  useUserSaes.setState((s) => ({
    queued: [...s.queued, ...fromAddress.map((url) => ({ source: { kind: 'url', url } as const, origin: url, fromAddress: true }))],
  }));
  if (canPersist) void readKept();
  useLoadStore.subscribe((state, prev) => {
    if (state.status === 'ready' && prev.status !== 'ready') {
      // Without kept SAEs to restore first, what was dropped during the load goes now.
      if (canPersist) void restore();
      else drainQueue();
    }
  });
}
