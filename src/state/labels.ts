/** Which label a feature shows, and where it came from. */

export type LabelOrigin = 'heuristic' | 'bundle' | 'imported';

export interface ResolvedLabel {
  text: string;
  origin: LabelOrigin;
}

export const ORIGIN_NAMES: Record<LabelOrigin, string> = {
  heuristic: 'provisional label from its top tokens',
  bundle: 'explanation shipped with the bundle',
  imported: 'explanation you imported',
};

/** Heuristic labels, then the bundle's explanations, then the reader's: later ones win. */
export function mergeLabels(
  heuristic: readonly string[],
  bundle: ReadonlyMap<number, string> | null,
  imported: Readonly<Record<number, string>> | undefined,
): ResolvedLabel[] {
  const out: ResolvedLabel[] = heuristic.map((text) => ({ text, origin: 'heuristic' }));
  for (const [i, text] of bundle ?? []) if (i < out.length) out[i] = { text, origin: 'bundle' };
  for (const [key, text] of Object.entries(imported ?? {})) {
    const i = Number(key);
    if (i < out.length) out[i] = { text, origin: 'imported' };
  }
  return out;
}
