/**
 * Feature labels for every view: the precomputed heuristic label, replaced by an explanation
 * shipped with the bundle (dashboards/<sae>/explanations.json), replaced in turn by explanations
 * the reader imported from a file (kept in this browser). Registered as a label source, so the
 * prompt view's feature lists show the same labels as the dashboards.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { dashboardSourceFor } from '../../engine/analysis/dashboardSource';
import { parseExplanations } from '../../engine/analysis/explanations';
import { registerLabelSource, useLabelStore, type FeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { mergeLabels, type ResolvedLabel } from './labels';
import { usePromise } from '../../hooks/usePromise';

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
    { name: 'sae-explorer:explanations', version: 1, storage: createJSONStorage(() => localStorage) },
  ),
);

/** Reads a reader's explanations file for an SAE, keeps it, and shows it everywhere. */
export async function importExplanations(saeId: string, file: File, dSae: number): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (err) {
    throw new Error(`${file.name} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
  }
  const parsed = parseExplanations(json, file.name, dSae);
  const labels = Object.fromEntries(parsed);
  useImportedExplanations.getState().setImported(saeId, file.name, labels);
  useLabelStore.getState().addLabels(saeId, labels);
  return parsed.size;
}

/** Every feature's label for SAE `saeId`, or null while loading (or when there are no dashboards). */
export function useResolvedLabels(saeId: string): ResolvedLabel[] | null {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const imported = useImportedExplanations((s) => s.bySae[saeId]);
  const loaded = usePromise(async () => {
    const source = dashboardSourceFor(bundleUrl);
    const index = await source.saeIndex(saeId);
    const bundle = await source.explanations(saeId, index.sae.dSae).catch((err: unknown) => {
      console.warn(err);
      return null;
    });
    return { heuristic: index.features.label, bundle };
  }, [bundleUrl, saeId]);
  if (loaded.status !== 'ready') return null;
  return mergeLabels(loaded.value.heuristic, loaded.value.bundle, imported);
}

/** Lets the prompt view's feature lists show the dashboards' labels (runs once, at start-up). */
function registerDashboardLabels(): void {
  registerLabelSource(async (saeId): Promise<FeatureLabels> => {
    const source = dashboardSourceFor(useLoadStore.getState().bundleUrl);
    const index = await source.saeIndex(saeId);
    const bundle = await source.explanations(saeId, index.sae.dSae).catch(() => null);
    const merged = mergeLabels(index.features.label, bundle, useImportedExplanations.getState().bySae[saeId]);
    return Object.fromEntries(merged.map((l, i) => [i, l.text]));
  });
}

registerDashboardLabels();
