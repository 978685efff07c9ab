import { describe, expect, it } from 'vitest';
import { histogramLayout } from './histogramLayout';

const frame = { width: 220, height: 120, pad: [10, 10, 20, 10] as [number, number, number, number] };

describe('histogram layout', () => {
  it('gives each bin an equal slice of the width and the tallest bar the full height', () => {
    const { bars, baseline } = histogramLayout([1, 4, 0, 2], 0, 8, frame);
    expect(baseline).toBe(100);
    expect(bars.map((b) => [b.lo, b.hi])).toEqual([[0, 2], [2, 4], [4, 6], [6, 8]]);
    expect(bars.map((b) => b.x)).toEqual([10, 60, 110, 160]);
    expect(bars[1]!.y).toBe(10);
    expect(bars[1]!.h).toBe(90);
    expect(bars[0]!.h).toBeCloseTo(22.5);
    expect(bars[2]!.h).toBe(0);
  });

  it('keeps a bar of one visible beside a bar of thousands, and can scale counts logarithmically', () => {
    const linear = histogramLayout([1, 100_000], 0, 1, frame);
    expect(linear.bars[0]!.h).toBeGreaterThanOrEqual(1);
    const log = histogramLayout([9, 99_999], 0, 1, frame, true);
    expect(log.bars[0]!.h / log.bars[1]!.h).toBeCloseTo(1 / 5);
  });

  it('places round-number ticks and marks zero when the range spans it', () => {
    const { ticks, zeroX } = histogramLayout([1, 1], -1, 1, frame);
    expect(ticks.map((t) => t.value)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(zeroX).toBe(110);
    expect(histogramLayout([1], 0, 1, frame).zeroX).toBeNull();
  });
});
