/**
 * Example contexts for each feature, as sae_vis and Neuronpedia show them: the sequences where the
 * feature peaks highest, then a sample of sequences from each activation interval (peak in
 * (0.75, 1]·max, (0.5, 0.75]·max, …), so a reader sees what weak activations look like too.
 *
 * One example per sequence, centred on that sequence's peak token, with the feature's activation
 * over a window of tokens around it. Samples are drawn with a generator seeded by the feature index,
 * so they are the same on every rebuild.
 */
import type { FeatureColumns } from './featureColumns';
import { seededRandom } from './random';
import { TopK } from './topK';

export interface ExampleOptions {
  /** tokens per corpus sequence */
  seqLen: number;
  /** sequences shown for the top activations */
  topK: number;
  /** activation intervals sampled below the top */
  intervals: number;
  /** sequences sampled per interval */
  perInterval: number;
  /** tokens shown before and after the peak token */
  before: number;
  after: number;
  /** codes can be negative (e.g. AbsTopK): rank by |activation| */
  signed: boolean;
}

export interface Example {
  /** global token index of the peak (sequence · seqLen + position) */
  token: number;
  /** global token index of the window's first token */
  start: number;
  /** the feature's activation on each token of the window */
  values: Float32Array;
}

export interface ExampleGroup {
  kind: 'top' | 'interval';
  /** the interval of peak |activation| the group covers ('top': the lowest and highest shown) */
  lo: number;
  hi: number;
  /** sequences whose peak falls in this group (for 'top': all sequences where the feature fires) */
  count: number;
  examples: Example[];
}

export function featureExamples(columns: FeatureColumns, feature: number, opts: ExampleOptions): ExampleGroup[] {
  const { colStart, tokens, values } = columns;
  const from = colStart[feature]!;
  const to = colStart[feature + 1]!;
  if (to === from) return [];
  const key = opts.signed ? Math.abs : (v: number) => v;

  // Per-sequence peaks (columns are sorted by token, so a sequence's entries are contiguous).
  const peakToken: number[] = [];
  const peakKey: number[] = [];
  let maxKey = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    const k = key(values[i]!);
    const last = peakToken.length - 1;
    if (last >= 0 && Math.floor(peakToken[last]! / opts.seqLen) === Math.floor(t / opts.seqLen)) {
      if (k > peakKey[last]!) {
        peakKey[last] = k;
        peakToken[last] = t;
      }
    } else {
      peakToken.push(t);
      peakKey.push(k);
    }
    if (k > maxKey) maxKey = k;
  }

  const top = new TopK(opts.topK);
  for (let s = 0; s < peakToken.length; s++) top.push(peakKey[s]!, s);
  const chosen = new Set<number>();
  const topExamples: Example[] = [];
  for (const { id } of top.entries()) {
    chosen.add(id);
    topExamples.push(window(columns, feature, peakToken[id]!, opts));
  }
  const groups: ExampleGroup[] = [
    { kind: 'top', lo: top.size ? top.values[top.size - 1]! : 0, hi: maxKey, count: peakToken.length, examples: topExamples },
  ];

  // Reservoir-sample each interval over the sequences not already shown.
  const G = opts.intervals;
  const E = opts.perInterval;
  const seen = new Float64Array(G);
  const reservoirs: number[][] = Array.from({ length: G }, () => []);
  const random = seededRandom(0x5ae0 + feature);
  for (let s = 0; s < peakToken.length; s++) {
    const k = peakKey[s]!;
    const g = Math.min(G - 1, Math.max(0, Math.ceil((k / maxKey) * G) - 1));
    seen[g]!++;
    if (chosen.has(s)) continue;
    const reservoir = reservoirs[g]!;
    if (reservoir.length < E) reservoir.push(s);
    else {
      const j = Math.floor(random() * seen[g]!);
      if (j < E) reservoir[j] = s;
    }
  }
  for (let g = G - 1; g >= 0; g--) {
    const picked = reservoirs[g]!.sort((a, b) => peakKey[b]! - peakKey[a]! || a - b);
    groups.push({
      kind: 'interval',
      lo: (maxKey * g) / G,
      hi: (maxKey * (g + 1)) / G,
      count: seen[g]!,
      examples: picked.map((s) => window(columns, feature, peakToken[s]!, opts)),
    });
  }
  return groups;
}

/** The feature's activations over the window around `token`, clipped to its sequence. */
function window(columns: FeatureColumns, feature: number, token: number, opts: ExampleOptions): Example {
  const seqStart = token - (token % opts.seqLen);
  const start = Math.max(seqStart, token - opts.before);
  const end = Math.min(seqStart + opts.seqLen - 1, token + opts.after);
  const out = new Float32Array(end - start + 1);
  const { colStart, tokens, values } = columns;
  let lo = colStart[feature]!;
  let hi = colStart[feature + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo, stop = colStart[feature + 1]!; i < stop && tokens[i]! <= end; i++) out[tokens[i]! - start] = values[i]!;
  return { token, start, values: out };
}
