/** Which label a feature shows, and where it came from. */

export type LabelOrigin = 'heuristic' | 'bundle' | 'imported';

export interface ResolvedLabel {
  text: string;
  origin: LabelOrigin;
}

/** An SAE's labels as its dashboards give them, before the reader's own explanations. */
export interface LabelLayers {
  /** every feature's heuristic label, one per feature */
  heuristic: readonly string[];
  /** explanations shipped with the bundle, by feature index */
  bundle: ReadonlyMap<number, string> | null;
}

/** The explanations the reader imported for an SAE, by feature index. */
export type ImportedLabels = Readonly<Record<number, string>>;

/** Feature `index`'s label: the reader's explanation, else the bundle's, else the heuristic one. */
export function labelAt(layers: LabelLayers | null, imported: string | undefined, index: number): ResolvedLabel | undefined {
  if (imported !== undefined) return { text: imported, origin: 'imported' };
  const bundled = layers?.bundle?.get(index);
  if (bundled !== undefined) return { text: bundled, origin: 'bundle' };
  const heuristic = layers?.heuristic[index];
  return heuristic !== undefined ? { text: heuristic, origin: 'heuristic' } : undefined;
}

/** Every feature's label, as labelAt picks it; explanations beyond the SAE's features are ignored. */
export function mergeLabels(layers: LabelLayers, imported: ImportedLabels | undefined): ResolvedLabel[] {
  return layers.heuristic.map((_, i) => labelAt(layers, imported?.[i], i)!);
}
