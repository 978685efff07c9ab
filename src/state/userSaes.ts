/**
 * The reader's own SAEs ("bring your own SAE"): loading one from dropped files or a URL in the
 * engine worker, listing and removing them, and loading them again after a reload (from IndexedDB)
 * or after the bundle is reloaded.
 */
import { create } from 'zustand';
import type { SaeInfo } from '../engine/engine';
import type { UserSaeSource } from '../worker/protocol';
import { toAppError, type AppError } from './appError';
import { useLoadStore } from './loadStore';
import { usePromptStore } from './promptStore';
import { engineClient } from './session';
import { canPersist, deleteSae, saveSae, storedSaes } from './userSaesDb';

export interface UserSaeEntry {
  id: string;
  /** the file names or URL it came from, for the list */
  origin: string;
}

interface UserSaesState {
  saes: UserSaeEntry[];
  /** what is being loaded now ("3 files", a URL), or null */
  loading: string | null;
  error: AppError | null;
  /** the hook the next SAE reads, where its files do not say; '' trusts the files */
  hookName: string;

  setHookName(hookName: string): void;
  add(source: UserSaeSource): Promise<void>;
  remove(id: string): Promise<void>;
  dismissError(): void;
}

export function describeSource(source: UserSaeSource): string {
  if (source.kind === 'url') return source.url;
  const names = source.files.map((f) => f.path);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function requireClient() {
  const client = engineClient();
  if (!client || useLoadStore.getState().status !== 'ready') {
    throw new Error('The model is not loaded yet; wait for it, then add your SAE again.');
  }
  return client;
}

function showSaes(saes: SaeInfo[]): void {
  useLoadStore.setState({ saes });
}

/** Loads `source` in the worker; returns the new SAE's id. */
async function load(source: UserSaeSource): Promise<string> {
  const { saeId, saes } = await requireClient().addSae(source);
  showSaes(saes);
  useUserSaes.setState((s) => ({
    saes: [...s.saes.filter((e) => e.id !== saeId), { id: saeId, origin: describeSource(source) }],
  }));
  return saeId;
}

export const useUserSaes = create<UserSaesState>()((set, get) => ({
  saes: [],
  loading: null,
  error: null,
  hookName: '',

  setHookName: (hookName) => set({ hookName }),

  async add(given) {
    if (get().loading !== null) return;
    const { hookName } = get();
    const source = hookName && !given.hookName ? { ...given, hookName } : given;
    set({ loading: describeSource(source), error: null });
    try {
      const saeId = await load(source);
      usePromptStore.getState().setSaeId(saeId);
      set({ loading: null });
      if (canPersist) await saveSae({ id: saeId, source, addedAt: Date.now() });
    } catch (err) {
      const what = source.kind === 'url' ? 'from the URL' : 'from the dropped files';
      set({ loading: null, error: toAppError(`Your SAE could not be loaded ${what}`, err) });
    }
  },

  async remove(id) {
    try {
      const { saes } = await requireClient().removeSae(id);
      showSaes(saes);
      const prompt = usePromptStore.getState();
      if (prompt.saeId === id && saes[0]) prompt.setSaeId(saes[0].id);
    } catch (err) {
      set({ error: toAppError(`SAE “${id}” could not be removed`, err) });
    }
    set((s) => ({ saes: s.saes.filter((e) => e.id !== id) }));
    if (canPersist) await deleteSae(id).catch(() => {});
  },

  dismissError: () => set({ error: null }),
}));

/** Loads the kept SAEs again into a freshly loaded engine (at startup, or after a bundle reload). */
async function restore(): Promise<void> {
  if (!canPersist) return;
  let stored;
  try {
    stored = await storedSaes();
  } catch (err) {
    useUserSaes.setState({ error: toAppError('Your saved SAEs could not be read from this browser', err) });
    return;
  }
  useUserSaes.setState({ saes: [] });
  const wanted = usePromptStore.getState().saeId;
  for (const entry of stored) {
    useUserSaes.setState({ loading: describeSource(entry.source) });
    try {
      const id = await load(entry.source);
      if (id === wanted) usePromptStore.getState().setSaeId(id);
    } catch (err) {
      // Still listed, so the reader can remove it; the card says why it did not load.
      useUserSaes.setState((s) => ({
        saes: [...s.saes, { id: entry.id, origin: describeSource(entry.source) }],
        error: toAppError(`Your saved SAE “${entry.id}” could not be loaded again`, err),
      }));
    }
  }
  useUserSaes.setState({ loading: null });
}

useLoadStore.subscribe((state, prev) => {
  if (state.status === 'ready' && prev.status !== 'ready') void restore();
});
