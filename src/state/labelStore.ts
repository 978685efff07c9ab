/**
 * Feature labels, the one way every view reads them: the dashboards' heuristic labels and bundled
 * explanations (LabelLayers, from the label source), replaced by the explanations the reader
 * imported (explanationStore). A view asks with useFeatureLabels (all of an SAE's) or
 * useFeatureLabel (one); the source is asked once per SAE, on first use.
 *
 * The source is given when the app starts (startStores): importing this module loads nothing.
 */
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import { useImportedExplanations } from './explanationStore';
import { labelAt, mergeLabels, type LabelLayers, type ResolvedLabel } from './labels';

/** Loads the labels an SAE's dashboards give; null when there are none (e.g. the reader's own SAE). */
export type LabelSource = (saeId: string) => Promise<LabelLayers | null>;

interface LabelState {
  /** by SAE id: the layers the source gave */
  bySae: Record<string, LabelLayers>;
}

export const useLabelStore = create<LabelState>()(() => ({ bySae: {} }));

let source: LabelSource | null = null;
const requested = new Set<string>();

/** Gives the store its source; the SAEs asked for before are loaded now. */
export function startLabels(labelSource: LabelSource): void {
  source = labelSource;
  for (const saeId of requested) void load(saeId);
}

/** Asks the source for an SAE's labels, once per SAE. */
export function requestLabels(saeId: string): void {
  if (requested.has(saeId)) return;
  requested.add(saeId);
  if (source) void load(saeId);
}

async function load(saeId: string): Promise<void> {
  try {
    const layers = await source!(saeId);
    if (layers) useLabelStore.setState((s) => ({ bySae: { ...s.bySae, [saeId]: layers } }));
  } catch (err) {
    // Labels are an extra: without them features still show their index and values.
    console.warn(`Feature labels for SAE ${saeId} could not be loaded:`, err);
  }
}

/** Every feature's label of SAE `saeId`; null until its dashboards' labels have arrived. */
export function useFeatureLabels(saeId: string): ResolvedLabel[] | null {
  useEffect(() => requestLabels(saeId), [saeId]);
  const layers = useLabelStore((s) => s.bySae[saeId]);
  const imported = useImportedExplanations((s) => s.bySae[saeId]);
  return useMemo(() => (layers ? mergeLabels(layers, imported) : null), [layers, imported]);
}

/** Feature `index`'s label, as useFeatureLabels gives it; undefined while none is known. */
export function useFeatureLabel(saeId: string, index: number): ResolvedLabel | undefined {
  useEffect(() => requestLabels(saeId), [saeId]);
  const layers = useLabelStore((s) => s.bySae[saeId]);
  const imported = useImportedExplanations((s) => s.bySae[saeId]?.[index]);
  return labelAt(layers ?? null, imported, index);
}
