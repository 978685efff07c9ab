/**
 * Explanations the reader imported from a file, by SAE, kept in this browser (localStorage). They
 * replace the dashboards' labels everywhere (see labelStore). Read back from storage only when the
 * app starts (startStores), not when this module is imported.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { localStorageOrForgetful } from './forgetfulStorage';
import { parseExplanations } from '../dashboardData/explanations';
import { errorMessage } from '../errors/engineError';

interface ImportedState {
  /** SAE id → feature index → explanation */
  bySae: Record<string, Record<number, string>>;
  /** file name each SAE's explanations came from */
  fileBySae: Record<string, string>;
  setImported(saeId: string, file: string, labels: Record<number, string>): void;
  forget(saeId: string): void;
}

export const useImportedExplanations = create<ImportedState>()(
  persist(
    (set) => ({
      bySae: {},
      fileBySae: {},
      setImported: (saeId, file, labels) =>
        set((s) => ({ bySae: { ...s.bySae, [saeId]: labels }, fileBySae: { ...s.fileBySae, [saeId]: file } })),
      forget: (saeId) =>
        set((s) => {
          const bySae = { ...s.bySae };
          const fileBySae = { ...s.fileBySae };
          delete bySae[saeId];
          delete fileBySae[saeId];
          return { bySae, fileBySae };
        }),
    }),
    { name: 'sae-explorer:explanations', version: 1, storage: createJSONStorage(localStorageOrForgetful), skipHydration: true },
  ),
);

/** Reads a reader's explanations file for an SAE and keeps it; returns how many it held. */
export async function importExplanations(saeId: string, file: File, dSae: number): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (err) {
    throw new Error(`${file.name} is not valid JSON (${errorMessage(err)}).`, { cause: err });
  }
  const parsed = parseExplanations(json, file.name, dSae);
  useImportedExplanations.getState().setImported(saeId, file.name, Object.fromEntries(parsed));
  return parsed.size;
}
