/**
 * An attention SAE's head statistics (src/engine/analysis/headStats.ts computes them): the file
 * `dashboards/<saeId>/heads.bin` that its index.json names in `heads`, packed JSON (packedJson.ts).
 * Shares are kept to three decimals and each head's groups to the first few: the views show no more.
 */
import { errorMessage } from '../errors/engineError';
import { CorruptDataError } from './binaryIO';
import { packJson, unpackJson } from './packedJson';

export const HEADS_FILE = 'heads.bin';
export const HEADS_SIGNATURE = 'SAEHEADS';
export const HEADS_VERSION = 1;
/** Groups and members per group a head's summary keeps. */
export const KEPT_GROUPS = 12;
export const KEPT_MEMBERS = 6;

export interface HeadSummary {
  head: number;
  /** polysemanticity: the effective number of distinct things the head writes (0: it writes nothing) */
  score: number;
  /** Σ_f m_f,h: the activation mass the head wrote */
  totalMass: number;
  /** how many groups the score was taken over */
  nGroups: number;
  /** the heaviest groups of features, each heaviest first */
  groups: number[][];
  /** their shares of the grouped mass */
  groupShares: number[];
  /** the features it writes most: mass written, and its mean share of the feature */
  top: { feature: number; mass: number; share: number }[];
}

export interface HeadStats {
  saeId: string;
  layer: number;
  nHeads: number;
  dHead: number;
  /** [d_sae, n_heads]: each head's share of the feature's encoder column */
  weightShares: Float32Array;
  /** [d_sae, n_heads]: each head's mean signed share of the feature's pre-activation at its top activations */
  corpusShares: Float32Array;
  /** [d_sae]: top activations averaged into corpusShares (0: a dead feature) */
  examples: Uint16Array;
  heads: HeadSummary[];
}

/** What the views show of one feature. */
export interface FeatureHeads {
  weight: Float32Array;
  corpus: Float32Array;
  examples: number;
}

export function featureHeads(stats: HeadStats, feature: number): FeatureHeads {
  const { nHeads } = stats;
  return {
    weight: stats.weightShares.slice(feature * nHeads, (feature + 1) * nHeads),
    corpus: stats.corpusShares.slice(feature * nHeads, (feature + 1) * nHeads),
    examples: stats.examples[feature] ?? 0,
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const sig4 = (v: number) => Number(v.toPrecision(4));

export function packHeadStats(stats: HeadStats): Promise<Uint8Array> {
  return packJson(HEADS_SIGNATURE, HEADS_VERSION, {
    saeId: stats.saeId,
    layer: stats.layer,
    nHeads: stats.nHeads,
    dHead: stats.dHead,
    weightShares: Array.from(stats.weightShares, round3),
    corpusShares: Array.from(stats.corpusShares, round3),
    examples: Array.from(stats.examples),
    heads: stats.heads.map((h) => ({
      ...h,
      score: sig4(h.score),
      totalMass: sig4(h.totalMass),
      groups: h.groups.slice(0, KEPT_GROUPS).map((g) => g.slice(0, KEPT_MEMBERS)),
      groupShares: h.groupShares.slice(0, KEPT_GROUPS).map(round3),
      top: h.top.map((t) => ({ feature: t.feature, mass: sig4(t.mass), share: round3(t.share) })),
    })),
  });
}

/** The statistics in `bytes`; a damaged or foreign file fails naming `source` and what is wrong. */
export async function readHeadStats(bytes: Uint8Array, source: string): Promise<HeadStats> {
  try {
    const v = (await unpackJson(bytes, HEADS_SIGNATURE, HEADS_VERSION)) as Record<string, unknown>;
    const nHeads = count(v.nHeads, 'nHeads');
    const heads = v.heads;
    if (!Array.isArray(heads) || heads.length !== nHeads) throw new CorruptDataError(`"heads" must list ${nHeads} heads`);
    const weightShares = numbers(v.weightShares, 'weightShares');
    const dSae = weightShares.length / nHeads;
    if (!Number.isInteger(dSae) || dSae === 0) throw new CorruptDataError('"weightShares" is not [d_sae, n_heads]');
    const corpusShares = numbers(v.corpusShares, 'corpusShares');
    const examples = numbers(v.examples, 'examples');
    if (corpusShares.length !== weightShares.length || examples.length !== dSae) throw new CorruptDataError('the share tables disagree in size');
    return {
      saeId: String(v.saeId),
      layer: count(v.layer, 'layer', 0),
      nHeads,
      dHead: count(v.dHead, 'dHead'),
      weightShares: Float32Array.from(weightShares),
      corpusShares: Float32Array.from(corpusShares),
      examples: Uint16Array.from(examples),
      heads: heads as HeadSummary[],
    };
  } catch (err) {
    throw new CorruptDataError(`${source} is not a readable heads file: ${errorMessage(err)}`);
  }
}

function count(v: unknown, name: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new CorruptDataError(`"${name}" must be an integer ≥ ${min}`);
  return v;
}

function numbers(v: unknown, name: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new CorruptDataError(`"${name}" must be a list of numbers`);
  return v as number[];
}
