/**
 * A short provisional label for a feature, from the tokens it fires on and the tokens before them,
 * until a real explanation is imported: “ Lord”, “ of” / “ in”, after “ the”, or a list of its
 * commonest tokens when none dominates.
 */
import type { TokenProfile } from './tokenProfile';

/** Share above which one token names the feature on its own. */
const DOMINANT = 0.5;
/** Share above which a runner-up is worth naming beside it. */
const NOTABLE = 0.15;

/** A token as it appears in a label: quoted, with whitespace and control characters made visible. */
export function quoteToken(text: string): string {
  const shown = text.replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/\r/g, '␍');
  return `“${shown.length ? shown : '∅'}”`;
}

export function heuristicLabel(profile: TokenProfile, tokenText: (id: number) => string): string {
  const { current, previous } = profile;
  if (current.length === 0) return 'never fires on the corpus';
  const q = (id: number) => quoteToken(tokenText(id));
  const [first, second, third] = current;
  const prevFirst = previous[0];
  if (first!.share >= DOMINANT) {
    return second && second.share >= NOTABLE ? `${q(first!.id)} / ${q(second.id)}` : q(first!.id);
  }
  if (prevFirst && prevFirst.share >= DOMINANT) return `after ${q(prevFirst.id)}`;
  const notable = current.slice(0, 3).filter((t) => t.share >= NOTABLE / 3);
  const named = notable.length ? notable : current.slice(0, 3);
  const covered = named.reduce((s, t) => s + t.share, 0);
  const list = named.map((t) => q(t.id)).join(' / ');
  if (covered >= DOMINANT) return list;
  if (second === undefined || third === undefined) return list;
  return `mixed: ${list} …`;
}
