/**
 * One feature's dashboard as the views draw it and the precompute builds it. The shard codec
 * (dashboardShard.ts) stores it compactly; numbers read back from a shard are quantised (see
 * docs/ARCHITECTURE.md, "Dashboards"), exact ones come straight from the precompute.
 */
/** A token's part in what a feature does: its share of the feature's total |activation|. */
export interface TokenShare {
  id: number;
  /** fraction of the feature's total |activation|, 0…1 */
  share: number;
}

export interface TokenValue {
  /** token id */
  id: number;
  value: number;
}

export interface FeatureValue {
  /** feature index in the same SAE */
  index: number;
  value: number;
}

export interface HistogramData {
  lo: number;
  hi: number;
  counts: number[];
}

export interface DashboardExample {
  /** global token index of the peak (sequence · seq_len + position) in data/heldout.u16 */
  token: number;
  /** global token index of the window's first token */
  start: number;
  /** the feature's activation on each token of the window */
  values: Float32Array;
}

export interface DashboardExampleGroup {
  kind: 'top' | 'interval';
  /** peak |activation| covered: an interval of the feature's range, or for 'top' the shown range */
  lo: number;
  hi: number;
  /** sequences whose peak falls in the group (for 'top': every sequence where the feature fires) */
  count: number;
  examples: DashboardExample[];
}

export interface FeatureDashboard {
  index: number;
  /** corpus tokens (BOS left out) on which the feature is non-zero */
  nActive: number;
  maxAct: number;
  minAct: number;
  /** mean over the tokens where it is active */
  meanAct: number;
  /** distribution of its non-zero activations; null for a dead feature */
  actHistogram: HistogramData | null;
  /** tokens it fires on, by share of its total |activation| */
  topTokens: TokenShare[];
  logits: { positive: TokenValue[]; negative: TokenValue[]; histogram: HistogramData };
  /** most similar decoder directions (cosine) */
  neighbours: FeatureValue[];
  /** most correlated activations over the corpus (Pearson r) */
  correlated: FeatureValue[];
  groups: DashboardExampleGroup[];
}
