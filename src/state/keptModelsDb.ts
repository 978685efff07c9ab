/**
 * The models the reader opened from files (dropped or picked), kept in IndexedDB (browserDb.ts) so
 * that `?model=local:<name>` opens them again after a reload, offline too, without giving the files
 * again. Only the three files the engine reads are kept, not the rest of the folder.
 */
import type { UserSaeFile } from '../worker/protocol';
import { inStore, KEPT_MODELS_STORE } from './browserDb';

export interface KeptModel {
  /** the name in the address (`?model=local:<name>`), unique: a model given again under it replaces the one kept */
  name: string;
  /** paths inside the folder (config.json, model.safetensors, tokenizer.json) */
  files: UserSaeFile[];
  /** the processing it was opened with (`?processing=`), null for the model's default */
  processing: string | null;
  addedAt: number;
}

export async function saveModel(model: KeptModel): Promise<void> {
  await inStore(KEPT_MODELS_STORE, 'readwrite', (s) => s.put(model));
}

export async function deleteModel(name: string): Promise<void> {
  await inStore(KEPT_MODELS_STORE, 'readwrite', (s) => s.delete(name));
}

/** The model kept under `name`, or null when this browser has none (never kept, forgotten, or its storage cleared). */
export async function keptModel(name: string): Promise<KeptModel | null> {
  return ((await inStore(KEPT_MODELS_STORE, 'readonly', (s) => s.get(name))) as KeptModel | undefined) ?? null;
}

/** Every kept model, oldest first. */
export async function keptModels(): Promise<KeptModel[]> {
  const all = (await inStore(KEPT_MODELS_STORE, 'readonly', (s) => s.getAll())) as KeptModel[];
  return all.sort((a, b) => a.addedAt - b.addedAt);
}
