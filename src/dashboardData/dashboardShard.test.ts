import { describe, expect, it } from 'vitest';
import { CorruptDataError } from './binaryIO';
import { decodeShard, encodeShard, readShardHeader } from './dashboardShard';
import type { FeatureDashboard } from './featureDashboard';

function feature(index: number, signed = false): FeatureDashboard {
  const sign = signed ? -1 : 1;
  return {
    index,
    nActive: 1000 + index,
    maxAct: 6.25,
    minAct: signed ? -7.5 : 0.01,
    meanAct: 1.5,
    actHistogram: { lo: signed ? -7.5 : 0, hi: 6.25, counts: [70_000, 5, 0, 1] },
    topTokens: [{ id: 3, share: 0.5 }, { id: 40_000, share: 0.25 }],
    logits: {
      positive: [{ id: 7, value: 0.8 }, { id: 9, value: 0.4 }],
      negative: [{ id: 11, value: -0.9 }],
      histogram: { lo: -0.9, hi: 0.8, counts: [1, 10, 100, 3] },
    },
    neighbours: [{ index: 2, value: 0.71 }, { index: 5, value: -0.05 }],
    correlated: [{ index: 70_000, value: 0.33 }],
    groups: [
      { kind: 'top', lo: 3, hi: 6.25, count: 12, examples: [{ token: 1_000_005, start: 1_000_002, values: Float32Array.from([0, 0.001, 0, 6.25, sign * 3]) }] },
      { kind: 'interval', lo: 0, hi: 3.125, count: 4, examples: [] },
    ],
  };
}

const header = { firstFeature: 128, dSae: 70_001, dVocab: 50_000 };

describe('dashboard shards', () => {
  it('round-trip every panel, with quantised values within their stated precision', async () => {
    const input = [feature(128), feature(129)];
    const bytes = await encodeShard(header, input, false);
    const { header: h, features } = await decodeShard(bytes, false);
    expect(h).toMatchObject({ version: 1, firstFeature: 128, count: 2, dSae: 70_001, dVocab: 50_000, gzip: true });
    const [a] = features;
    const want = input[0]!;
    expect(a!.index).toBe(128);
    expect(a!.nActive).toBe(want.nActive);
    expect(a!.maxAct).toBe(6.25);
    // Counts are exact, large and small.
    expect(a!.actHistogram!.counts).toEqual([70_000, 5, 0, 1]);
    expect(a!.topTokens.map((t) => t.id)).toEqual([3, 40_000]);
    expect(a!.topTokens[0]!.share).toBeCloseTo(0.5, 4);
    expect(a!.logits.positive.map((t) => t.id)).toEqual([7, 9]);
    expect(a!.logits.positive[1]!.value).toBeCloseTo(0.4, 4);
    expect(a!.logits.negative[0]!.value).toBeCloseTo(-0.9, 4);
    expect(a!.logits.histogram.counts).toEqual([1, 10, 100, 3]);
    expect(a!.neighbours.map((n) => n.index)).toEqual([2, 5]);
    expect(a!.neighbours[0]!.value).toBeCloseTo(0.71, 4);
    expect(a!.correlated[0]!.index).toBe(70_000);
    const ex = a!.groups[0]!.examples[0]!;
    expect([ex.token, ex.start]).toEqual([1_000_005, 1_000_002]);
    expect(ex.values[3]).toBe(6.25);
    expect(Math.abs(ex.values[4]! - 3)).toBeLessThanOrEqual(6.25 / 255 / 2 + 1e-6);
    // A tiny activation still shows as active.
    expect(ex.values[1]).toBeGreaterThan(0);
    expect(ex.values[0]).toBe(0);
    expect(a!.groups[1]).toMatchObject({ kind: 'interval', lo: 0, hi: 3.125, count: 4, examples: [] });
  });

  it('keep the sign of signed activations', async () => {
    const { features } = await decodeShard(await encodeShard(header, [feature(128, true)], true), true);
    const ex = features[0]!.groups[0]!.examples[0]!;
    expect(ex.values[4]).toBeLessThan(0);
    expect(Math.abs(ex.values[4]! + 3)).toBeLessThanOrEqual(7.5 / 127 / 2 + 1e-6);
  });

  it('refuse a file that is not a shard, a newer version, a truncated file and a damaged body', async () => {
    const bytes = await encodeShard(header, [feature(128)], false);
    const expectCorrupt = async (b: Uint8Array, message: RegExp) => {
      const err = await decodeShard(b, false).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CorruptDataError);
      expect((err as Error).message).toMatch(message);
    };
    await expectCorrupt(new TextEncoder().encode('<!doctype html><html>not found</html>'), /signature/);
    const newer = bytes.slice();
    newer[8] = 9;
    await expectCorrupt(newer, /version 9/);
    await expectCorrupt(bytes.slice(0, bytes.length - 10), /truncated/);
    const damaged = bytes.slice();
    for (let i = 40; i < 60; i++) damaged[i]! ^= 0x5a;
    await expectCorrupt(damaged, /decompress|offset|ends|refers|impossible|finite|left over/);
    expect(readShardHeader(bytes).count).toBe(1);
  });

  it('round-trip a record that holds examples only, as the more-examples shards store them', async () => {
    const full = feature(128);
    const examplesOnly: FeatureDashboard = {
      ...full,
      meanAct: 0,
      actHistogram: null,
      topTokens: [],
      logits: { positive: [], negative: [], histogram: { lo: 0, hi: 0, counts: [] } },
      neighbours: [],
      correlated: [],
    };
    const { features } = await decodeShard(await encodeShard(header, [examplesOnly], false), false);
    expect(features[0]!.groups[0]!.examples[0]!.values[3]).toBeCloseTo(6.25, 5);
    expect(features[0]!.groups.map((g) => [g.kind, g.count])).toEqual([['top', 12], ['interval', 4]]);
    expect(features[0]!.logits.positive).toEqual([]);
  });

  it('refuse features out of order', async () => {
    await expect(encodeShard(header, [feature(129)], false)).rejects.toThrow(/out of order/);
  });
});

describe('shards larger than the writer’s first buffer', () => {
  it('round-trip hundreds of features with many examples', async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ ...feature(128 + i), index: 128 + i }));
    const { features } = await decodeShard(await encodeShard({ ...header, dSae: 70_001 }, many, false), false);
    expect(features).toHaveLength(300);
    expect(features[299]!.index).toBe(427);
    expect(features[299]!.groups[0]!.examples[0]!.values[3]).toBe(6.25);
  });

  it('keep a compressed body larger than the first buffer intact', async () => {
    // Incompressible example positions make the gzip body outgrow 64 kB.
    const noisy = Array.from({ length: 250 }, (_, i) => {
      const f = feature(128 + i);
      const examples = Array.from({ length: 60 }, (_, e) => ({ token: (i * 7919 + e * 104_729) % 4_000_000 + 20, start: 0, values: Float32Array.from({ length: 17 }, (_, k) => ((i * 31 + e * 17 + k * 13) % 7) / 2) }));
      examples.forEach((x) => (x.start = x.token - 8));
      return { ...f, groups: [{ kind: 'top' as const, lo: 0, hi: 6.25, count: 60, examples }] };
    });
    const bytes = await encodeShard(header, noisy, false);
    expect(bytes.length).toBeGreaterThan(1 << 16);
    const { features } = await decodeShard(bytes, false);
    expect(features[249]!.groups[0]!.examples[59]!.token).toBe(noisy[249]!.groups[0]!.examples[59]!.token);
  });
});
