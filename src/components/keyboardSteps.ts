/**
 * Where the arrow keys, Home and End move in a row of items walked by keyboard (one tab stop for the
 * whole row, as WAI-ARIA's roving focus and slider patterns do). `null` when the key is not one of them.
 */

/** A sequence read like text (the tokens of a strip): Right and Down go on, Left and Up go back. */
const SEQUENCE: Readonly<Record<string, number>> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };
/** A slider (a histogram's bins): Right and Up go on, Left and Down go back. */
const SLIDER: Readonly<Record<string, number>> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, Home: -Infinity, End: Infinity };

function step(keys: Readonly<Record<string, number>>, key: string, current: number | null, first: number, last: number): number | null {
  const move = keys[key];
  if (move === undefined || last < first) return null;
  // From nowhere, going on starts at the first item and going back at the last.
  if (current === null) return move > 0 ? (move === Infinity ? last : first) : move === -Infinity ? first : last;
  return Math.max(first, Math.min(last, current + move));
}

export function sequenceStep(key: string, current: number | null, first: number, last: number): number | null {
  return step(SEQUENCE, key, current, first, last);
}

export function sliderStep(key: string, current: number | null, first: number, last: number): number | null {
  return step(SLIDER, key, current, first, last);
}
