/**
 * Geometry of a histogram drawn in SVG: one bar per bin over an x range, y scaled to the largest
 * count (or its log, for counts spanning orders of magnitude), with "nice" x ticks. Pure, so the
 * arithmetic is tested without a browser.
 */
import { scaleLinear } from 'd3';

export interface HistogramFrame {
  width: number;
  height: number;
  /** space for the axis labels: top, right, bottom, left */
  pad: [number, number, number, number];
}

export interface Bar {
  bin: number;
  /** data range of the bin */
  lo: number;
  hi: number;
  count: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Tick {
  value: number;
  x: number;
}

export interface HistogramLayout {
  bars: Bar[];
  ticks: Tick[];
  /** y of the baseline */
  baseline: number;
  /** x of the data value 0, when it lies inside the range */
  zeroX: number | null;
}

export function histogramLayout(counts: readonly number[], lo: number, hi: number, frame: HistogramFrame, logY = false): HistogramLayout {
  const [top, right, bottom, left] = frame.pad;
  const baseline = frame.height - bottom;
  const span = hi > lo ? hi - lo : 1;
  const x = scaleLinear().domain([lo, lo + span]).range([left, frame.width - right]);
  const lift = (n: number) => (logY ? Math.log10(1 + n) : n);
  const most = Math.max(0, ...counts.map(lift));
  const y = scaleLinear().domain([0, most || 1]).range([baseline, top]);
  const binWidth = span / Math.max(1, counts.length);
  const bars = counts.map((count, bin) => {
    const binLo = lo + bin * binWidth;
    const x0 = x(binLo);
    const x1 = x(binLo + binWidth);
    const yTop = count > 0 ? Math.min(y(lift(count)), baseline - 1) : baseline;
    return { bin, lo: binLo, hi: binLo + binWidth, count, x: x0, y: yTop, w: Math.max(0.5, x1 - x0 - (x1 - x0 > 3 ? 1 : 0)), h: baseline - yTop };
  });
  const ticks = x.ticks(5).map((value) => ({ value, x: x(value) }));
  return { bars, ticks, baseline, zeroX: lo < 0 && hi > 0 ? x(0) : null };
}
