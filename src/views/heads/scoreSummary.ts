/** Median, quartiles and range of the heads' scores (heads that wrote nothing, score 0, left out); null when none is left. */
export function scoreSummary(scores: readonly number[]): { min: number; q1: number; median: number; q3: number; max: number } | null {
  const s = scores.filter((v) => v > 0).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const at = (q: number) => {
    const pos = (s.length - 1) * q;
    const lo = Math.floor(pos);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
  };
  return { min: s[0]!, q1: at(0.25), median: at(0.5), q3: at(0.75), max: s[s.length - 1]! };
}
