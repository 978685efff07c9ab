/**
 * The latents boxed on a map, in its address (`sel=3,7-9,12`): sorted indices, runs as ranges. A
 * box over a dense part of a 16k-latent map can hold thousands; past SELECTION_LINK_CHARS the
 * selection stays on the page and the address says nothing of it.
 */

/** The most characters a selection may take in the address. */
export const SELECTION_LINK_CHARS = 2000;

/** `indices` as `sel=` writes them, or null when they are too many for a link. */
export function selectionParam(indices: readonly number[]): string | null {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  const param = parts.join(',');
  return param.length <= SELECTION_LINK_CHARS ? param : null;
}

/** The latents a `sel=` names, below `n` (what is not an index of this map is left out). */
export function readSelection(param: string | null, n: number): number[] {
  if (!param) return [];
  const out = new Set<number>();
  for (const part of param.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const from = Number(m[1]);
    const to = Math.min(m[2] === undefined ? from : Number(m[2]), n - 1);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
