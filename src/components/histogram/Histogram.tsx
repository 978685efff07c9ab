import { useState } from 'react';
import { formatActivation } from '../../format/numbers';
import { sliderStep } from '../keyboardSteps';
import { histogramLayout } from './histogramLayout';
import './histogram.css';

export interface HistogramProps {
  /** one count per equal-width bin over [lo, hi] */
  counts: readonly number[];
  lo: number;
  hi: number;
  /** fill of a bin, from the value at its centre @default a neutral blue */
  color?: (binCentre: number) => string;
  /** what is counted, for the tooltip: "tokens", "vocabulary tokens" */
  unit: string;
  /** what the x axis measures, e.g. "activation" */
  xLabel: string;
  /** scale bar heights by log(1 + count), for counts spanning orders of magnitude @default false */
  logY?: boolean;
  /** @default 150 */
  height?: number;
  /** accessible name of the chart */
  label: string;
  /** formats x values on the axis and in the tooltip @default formatActivation */
  format?: (value: number) => string;
}

const WIDTH = 360;
const DEFAULT_FILL = '#5b7bd5';

/**
 * A bar chart of binned counts with an x axis; hover a bar for its range and count. By keyboard the
 * chart is one tab stop, a slider over its bins whose arrow keys read out each bar as hovering would.
 */
export function Histogram({ counts, lo, hi, color, unit, xLabel, logY = false, height = 150, label, format = formatActivation }: HistogramProps) {
  const [hover, setHover] = useState<number | null>(null);
  const layout = histogramLayout(counts, lo, hi, { width: WIDTH, height, pad: [8, 10, 34, 10] }, logY);
  const total = counts.reduce((a, b) => a + b, 0);
  const hovered = hover !== null ? layout.bars[hover] : undefined;
  const onKeyDown = (e: React.KeyboardEvent<SVGSVGElement>) => {
    const next = sliderStep(e.key, hover, 0, counts.length - 1);
    if (next === null) return;
    e.preventDefault();
    setHover(next);
  };
  const summary = `${total} ${unit} in ${counts.length} bins`;
  return (
    <figure className="histogram" data-testid="histogram" aria-label={label}>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        tabIndex={0}
        role="slider"
        aria-label={`${label}: ${summary}`}
        aria-valuemin={0}
        aria-valuemax={Math.max(0, counts.length - 1)}
        aria-valuenow={hover ?? 0}
        aria-valuetext={hovered ? `${format(hovered.lo)} to ${format(hovered.hi)}: ${hovered.count.toLocaleString('en-US')} ${unit}` : summary}
        data-testid="histogram-chart"
        onKeyDown={onKeyDown}
        onBlur={() => setHover(null)}
        onMouseLeave={() => setHover(null)}
      >
        {layout.zeroX !== null && <line className="histogram__zero" x1={layout.zeroX} x2={layout.zeroX} y1={8} y2={layout.baseline} />}
        {layout.bars.map((b) => (
          <g key={b.bin} onMouseEnter={() => setHover(b.bin)}>
            <rect className="histogram__hit" x={b.x} y={8} width={Math.max(b.w, 1)} height={layout.baseline - 8} />
            {b.h > 0 && (
              <rect
                className={`histogram__bar${hover === b.bin ? ' histogram__bar--hover' : ''}`}
                x={b.x}
                y={b.y}
                width={b.w}
                height={b.h}
                rx={1}
                fill={color ? color((b.lo + b.hi) / 2) : DEFAULT_FILL}
              />
            )}
          </g>
        ))}
        <line className="histogram__axis" x1={10} x2={WIDTH - 10} y1={layout.baseline} y2={layout.baseline} />
        {layout.ticks.map((t) => (
          <text key={t.value} className="histogram__tick" x={t.x} y={layout.baseline + 14} textAnchor="middle">
            {format(t.value)}
          </text>
        ))}
        <text className="histogram__xlabel" x={WIDTH / 2} y={height - 3} textAnchor="middle">
          {xLabel}
        </text>
      </svg>
      <figcaption className="histogram__readout">
        {hovered ? (
          <>
            <span className="histogram__range">
              {format(hovered.lo)} to {format(hovered.hi)}
            </span>
            <span>
              {hovered.count.toLocaleString('en-US')} {unit}
            </span>
          </>
        ) : (
          <span className="muted">
            {total.toLocaleString('en-US')} {unit} · hover a bar or use the arrow keys
          </span>
        )}
      </figcaption>
    </figure>
  );
}
