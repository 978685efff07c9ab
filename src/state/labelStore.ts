/**
 * Feature labels (human or auto-interp explanations), keyed by SAE id and feature index.
 *
 * Anything that knows labels registers a LabelSource; when the UI first needs an SAE's labels it
 * asks every source once and keeps what they return. Views read one label with useFeatureLabel.
 */
import { create } from 'zustand';

/** Labels of one SAE's features: feature index → label. */
export type FeatureLabels = Record<number, string>;

/** Loads the labels it knows for an SAE (an empty object when it knows none). */
export type LabelSource = (saeId: string) => Promise<FeatureLabels>;

interface LabelState {
  bySae: Record<string, FeatureLabels>;
  addLabels(saeId: string, labels: FeatureLabels): void;
}

export const useLabelStore = create<LabelState>()((set) => ({
  bySae: {},
  addLabels: (saeId, labels) =>
    set((s) => ({ bySae: { ...s.bySae, [saeId]: { ...s.bySae[saeId], ...labels } } })),
}));

const sources: LabelSource[] = [];
const requested = new Set<string>();

/** Adds a label source; SAEs already asked for are asked again of this source. */
export function registerLabelSource(source: LabelSource): void {
  sources.push(source);
  for (const saeId of requested) void fetchFrom(source, saeId);
}

/** Asks every source for an SAE's labels, once per SAE. */
export function requestLabels(saeId: string): void {
  if (requested.has(saeId)) return;
  requested.add(saeId);
  for (const source of sources) void fetchFrom(source, saeId);
}

async function fetchFrom(source: LabelSource, saeId: string): Promise<void> {
  try {
    const labels = await source(saeId);
    if (Object.keys(labels).length > 0) useLabelStore.getState().addLabels(saeId, labels);
  } catch (err) {
    // Labels are an extra: without them features still show their index and values.
    console.warn(`Feature labels for SAE ${saeId} could not be loaded:`, err);
  }
}

export function useFeatureLabel(saeId: string, index: number): string | undefined {
  return useLabelStore((s) => s.bySae[saeId]?.[index]);
}
