/**
 * A short provisional label for a feature, until a real explanation is imported, that says what it
 * is measured on and claims nothing the data cannot show:
 * - “mostly “ the”” when one token carries at least half of the feature's activation over every
 *   sequence the statistics cover — the very figures of the index's "fires on" column, so the two agree;
 * - else what its top examples show, named as such: “top 10: “ persons” / “ men””, “top 10: after “ the””,
 *   “top 10: right after BOS (position 1)” — the held-out windows start mid-document, so position 1 is a
 *   place in a window, not the start of a text, and a label may not call it “the first token of a sequence”;
 * - “never fires in 1,686 held-out sequences” for a feature dead on them (it may fire elsewhere).
 */
import type { Corpus } from '../../dashboardData/corpus';
import type { FeatureDashboard } from '../../dashboardData/featureDashboard';

/** What the label is made from. */
export interface LabelEvidence {
  /** token ids at the peaks of the top examples */
  peakTokens: number[];
  /** the token before each peak, or AFTER_BOS where the peak is the first token after BOS (position 1) */
  previousTokens: number[];
  /** tokens by their share of the feature's total |activation| over the sequences covered, largest first */
  corpusTokens: readonly { id: number; share: number }[];
  /** held-out sequences the statistics cover */
  nSeqs: number;
}

export const AFTER_BOS = -1;

/** Share above which one token names the feature (of its corpus activation, or of its top peaks). */
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
  const { peakTokens, corpusTokens, nSeqs } = evidence;
  if (peakTokens.length === 0) return `never fires in ${nSeqs.toLocaleString('en-US')} held-out sequences`;
  const q = (id: number) => quoteToken(tokenText(id));
  const pair = (first: { id: number }, second?: { id: number; share: number }) =>
    second && second.share >= NOTABLE ? `${q(first.id)} / ${q(second.id)}` : q(first.id);
  const [c1, c2] = corpusTokens;
  if (c1 && c1.share >= DOMINANT) return `mostly ${pair(c1, c2)}`;

  const top = `top ${peakTokens.length}:`;
  const peaks = ranked(peakTokens);
  const previous = ranked(evidence.previousTokens);
  const [first, second] = peaks;
  if (first!.share >= DOMINANT) return `${top} ${pair(first!, second)}`;
  if (previous[0] && previous[0].share >= CONTEXT) {
    return previous[0].id === AFTER_BOS ? `${top} right after BOS (position 1)` : `${top} after ${q(previous[0].id)}`;
  }
  const repeated = peaks.filter((p) => p.share * peakTokens.length >= 2);
  const shown = (repeated.length > 0 ? repeated : peaks).slice(0, 3);
  return `${top} ${shown.map((p) => q(p.id)).join(' / ')}${peaks.length > shown.length ? ' …' : ''}`;
}

/** The evidence of a feature's dashboard, whose statistics cover the first `nSeqs` sequences of `corpus`. */
export function labelEvidence(dashboard: Pick<FeatureDashboard, 'groups' | 'topTokens'>, corpus: Corpus, nSeqs: number): LabelEvidence {
  const top = dashboard.groups.find((g) => g.kind === 'top')?.examples ?? [];
  return {
    peakTokens: top.map((e) => corpus.ids[e.token]!),
    // Position 0 is BOS: a peak at position 1 is the first token of its window.
    previousTokens: top.map((e) => (e.token % corpus.seqLen === 1 ? AFTER_BOS : corpus.ids[e.token - 1]!)),
    corpusTokens: dashboard.topTokens,
    nSeqs,
  };
}
