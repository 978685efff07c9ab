/**
 * A short provisional label for a feature, until a real explanation is imported, read off the
 * same evidence the reader sees first on its page — the tokens its top examples peak on, and the
 * tokens just before them: “ persons” / “ men”, after “ the”, or the few tokens it peaks on most.
 */

/** What the label is made from: token ids at (and just before) the peaks of the top examples. */
export interface LabelEvidence {
  peakTokens: number[];
  /** the token before each peak, or SEQUENCE_START where the peak is the first token after BOS */
  previousTokens: number[];
}

export const SEQUENCE_START = -1;

/** Share of top examples above which one token names the feature. */
const DOMINANT = 0.5;
/** Share above which a runner-up is named beside it. */
const NOTABLE = 0.2;
/** Share of top examples sharing the token before the peak for the label to say "after …". */
const CONTEXT = 0.6;

/** A token as it appears in a label: quoted, with whitespace and control characters made visible. */
export function quoteToken(text: string): string {
  const shown = text.replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/\r/g, '␍');
  return `“${shown.length ? shown : '∅'}”`;
}

/** Token ids by how often they occur, most first; ties keep the order of first occurrence. */
function ranked(ids: readonly number[]): { id: number; share: number }[] {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id, n]) => ({ id, share: n / ids.length }));
}

export function heuristicLabel(evidence: LabelEvidence, tokenText: (id: number) => string): string {
  if (evidence.peakTokens.length === 0) return 'never fires on the corpus';
  const q = (id: number) => quoteToken(tokenText(id));
  const peaks = ranked(evidence.peakTokens);
  const previous = ranked(evidence.previousTokens);
  const [first, second] = peaks;
  if (first!.share >= DOMINANT) return second && second.share >= NOTABLE ? `${q(first!.id)} / ${q(second.id)}` : q(first!.id);
  if (previous[0] && previous[0].share >= CONTEXT) {
    return previous[0].id === SEQUENCE_START ? 'first token of a sequence' : `after ${q(previous[0].id)}`;
  }
  const repeated = peaks.filter((p) => p.share * evidence.peakTokens.length >= 2);
  const shown = (repeated.length > 0 ? repeated : peaks).slice(0, 3);
  return shown.map((p) => q(p.id)).join(' / ') + (peaks.length > shown.length ? ' …' : '');
}
