/**
 * How polysemantic an attention head is, as one number: the effective number of distinct things
 * it writes. Each feature of the layer's attention-output SAE gets the part of its activation mass
 * that the head wrote (its mass × the head's attribution share); features whose decoder directions
 * point the same way (cosine ≥ `cosine`) count as one thing; the score is the perplexity
 * exp(H(p)) of the head's mass over those groups. A head that writes a single feature (or several
 * near-parallel ones) scores 1, the lowest possible; one that splits its mass evenly over k
 * unrelated features scores k. The features covering `coverage` of the head's mass are grouped
 * (at most `maxFeatures`), so that a long tail of faint attributions does not count as meanings.
 */

export interface PolysemanticityOptions {
  /** decoder cosine at or above which two features count as one thing; default 0.5 */
  cosine?: number;
  /** fraction of the head's mass the grouped features must cover; default 0.9 */
  coverage?: number;
  /** at most this many features are grouped; default 256 */
  maxFeatures?: number;
}

export interface HeadPolysemanticity {
  /** exp(entropy) of the head's mass over groups of features: ≥ 1 */
  score: number;
  /** the groups, heaviest first, each a list of feature indices (heaviest first) */
  groups: number[][];
  /** each group's share of the grouped mass */
  shares: number[];
}

/**
 * `mass`: [d_sae], what the head wrote of each feature (non-negative); `W_dec`: [d_sae, d_in].
 * A head that wrote nothing scores 0 with no groups.
 */
export function headPolysemanticity(mass: Float32Array, W_dec: Float32Array, dIn: number, opts: PolysemanticityOptions = {}): HeadPolysemanticity {
  const { cosine = 0.5, coverage = 0.9, maxFeatures = 256 } = opts;
  const order = Array.from(mass.keys())
    .filter((f) => mass[f]! > 0)
    .sort((a, b) => mass[b]! - mass[a]! || a - b);
  const total = order.reduce((s, f) => s + mass[f]!, 0);
  if (total === 0) return { score: 0, groups: [], shares: [] };
  const chosen: number[] = [];
  let covered = 0;
  for (const f of order) {
    if (covered >= coverage * total || chosen.length >= maxFeatures) break;
    chosen.push(f);
    covered += mass[f]!;
  }
  const unit = (f: number) => {
    const row = W_dec.subarray(f * dIn, (f + 1) * dIn);
    const norm = Math.hypot(...row) || 1;
    return Float32Array.from(row, (v) => v / norm);
  };
  // Greedy, heaviest first: a feature joins the first group whose heaviest feature it points along.
  const groups: { lead: Float32Array; members: number[]; mass: number }[] = [];
  for (const f of chosen) {
    const u = unit(f);
    const home = groups.find((g) => {
      let dot = 0;
      for (let i = 0; i < dIn; i++) dot += g.lead[i]! * u[i]!;
      return dot >= cosine;
    });
    if (home) {
      home.members.push(f);
      home.mass += mass[f]!;
    } else {
      groups.push({ lead: u, members: [f], mass: mass[f]! });
    }
  }
  groups.sort((a, b) => b.mass - a.mass);
  const shares = groups.map((g) => g.mass / covered);
  const entropy = -shares.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);
  return { score: Math.exp(entropy), groups: groups.map((g) => g.members), shares };
}
