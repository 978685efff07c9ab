/**
 * The label source of the bundle's dashboards: each SAE's heuristic labels (summary.bin) and the
 * explanations shipped beside them (explanations.json). An SAE without dashboards (the reader's
 * own) has none.
 */
import { dashboardSourceFor } from '../dashboardData/dashboardSource';
import type { LabelSource } from './labelStore';
import { useLoadStore } from './loadStore';

export const dashboardLabels: LabelSource = async (saeId) => {
  const source = dashboardSourceFor(useLoadStore.getState().bundleUrl);
  const root = await source.root();
  if (!root.saes.some((s) => s.id === saeId)) return null;
  const index = await source.saeIndex(saeId);
  const bundle = await source.explanations(saeId, index.sae.dSae).catch((err: unknown) => {
    // The heuristic labels still serve.
    console.warn(err);
    return null;
  });
  return { heuristic: index.features.label, bundle };
};
