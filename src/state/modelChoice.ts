/**
 * Which model the page opens, as the reader chooses it: a Hub repo id or folder URL (the page goes
 * to that address), a folder of files they drop or pick (opened in the engine, then kept in this
 * browser so that the address `?model=local:<name>` opens it again), one kept before, or the bundle
 * shipped with the app; and forgetting a kept one.
 */
import { create } from 'zustand';
import type { UserSaeFile } from '../worker/protocol';
import { toAppError, type AppError } from './appError';
import { canPersist } from './browserDb';
import { givenModel, type GivenModel } from './givenModel';
import { deleteModel, keptModels, saveModel } from './keptModelsDb';
import { addressWithModel, keptModelParam } from './modelAddress';
import { openGivenModel } from './session';

/** How a model given now is processed: TransformerLens's defaults, or not at all (`?processing=none`). */
export type ProcessingChoice = 'defaults' | 'none';

export interface KeptModelEntry {
  name: string;
  bytes: number;
  processing: string | null;
}

interface ModelChoiceState {
  /** the models this browser keeps, null until IndexedDB has answered */
  kept: KeptModelEntry[] | null;
  processing: ProcessingChoice;
  /** what was wrong with what the reader gave, or with keeping it */
  error: AppError | null;

  setProcessing(processing: ProcessingChoice): void;
  /** Goes to the address that opens `model` (a repo id or folder URL). */
  openAddress(model: string): void;
  /**
   * Whether the files given (dropped or picked) hold a model, else the error says why; the model
   * then opens in the engine (the load card shows it) and is kept in this browser once it has loaded.
   */
  openFiles(files: readonly UserSaeFile[]): boolean;
  openKept(name: string): void;
  /** Forgets a kept model; the one open goes back to the bundled model, since a reload could not bring it back. */
  forget(name: string): Promise<void>;
  openBundled(): void;
  /** Reads which models this browser keeps. */
  readKept(): Promise<void>;
  dismissError(): void;
}

const processingParam = (p: ProcessingChoice) => (p === 'none' ? 'none' : null);

function go(address: string): void {
  window.location.assign(address);
}

export const useModelChoice = create<ModelChoiceState>()((set, get) => ({
  kept: canPersist ? null : [],
  // As the model open now was: a reader who gives a model unprocessed likely gives the next one so too.
  processing: typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('processing') === 'none' ? 'none' : 'defaults',
  error: null,

  setProcessing: (processing) => set({ processing }),

  openAddress(model) {
    go(addressWithModel(window.location.href, model.trim(), processingParam(get().processing)));
  },

  openFiles(files) {
    set({ error: null });
    let model: GivenModel;
    try {
      model = givenModel(files);
    } catch (err) {
      set({ error: toAppError('These files are not a model the explorer can open', err) });
      return false;
    }
    void openAndKeep(model, processingParam(get().processing));
    return true;
  },

  openKept(name) {
    go(addressWithModel(window.location.href, keptModelParam(name), get().kept?.find((k) => k.name === name)?.processing ?? null));
  },

  async forget(name) {
    try {
      await deleteModel(name);
    } catch (err) {
      set({ error: toAppError(`“${name}” could not be removed from this browser’s storage, so it was kept`, err) });
      return;
    }
    if (new URL(window.location.href).searchParams.get('model') === keptModelParam(name)) return get().openBundled();
    await get().readKept();
  },

  openBundled() {
    go(addressWithModel(window.location.href, null));
  },

  async readKept() {
    if (!canPersist) return;
    try {
      const all = await keptModels();
      set({ kept: all.map((k) => ({ name: k.name, processing: k.processing, bytes: k.files.reduce((sum, f) => sum + f.file.size, 0) })) });
    } catch (err) {
      set({ kept: [], error: toAppError('The models kept in this browser could not be read', err) });
    }
  },

  dismissError: () => set({ error: null }),
}));

/** Opens `model` in the engine; once it has loaded, keeps it for the next visit (saying so where the browser will not). */
async function openAndKeep(model: GivenModel, processing: string | null): Promise<void> {
  if (!(await openGivenModel(model.name, model.files, processing)) || !canPersist) return;
  try {
    await saveModel({ name: model.name, files: model.files, processing, addedAt: Date.now() });
  } catch (err) {
    useModelChoice.setState({ error: toAppError(`“${model.name}” is open, but this browser could not keep it, so after a reload it must be given again`, err) });
  }
  await useModelChoice.getState().readKept();
}
