import { formatActivation } from '../../format/numbers';
import { activationColor } from '../tokens/activationColor';
import './headBars.css';

export interface HeadBarSeries {
  /** legend text */
  name: string;
  /** one value per head */
  values: ArrayLike<number>;
  /** how a value reads: a share as a percentage, a contribution as a number */
  format: 'share' | 'value';
}

export interface HeadBarsProps {
  layer: number;
  series: readonly HeadBarSeries[];
  /** each head's row links to its page */
  headHref?(head: number): string;
  label: string;
}

const formatValue = (v: number, format: HeadBarSeries['format']) => (format === 'share' ? `${(v * 100).toFixed(1)}%` : formatActivation(v));

/**
 * One row per head of a layer, a bar per series: positive bars grow right from the axis in orange,
 * negative ones left in purple (the strip's colours), values written beside them so the chart
 * needs no hover.
 */
export function HeadBars({ layer, series, headHref, label }: HeadBarsProps) {
  const nHeads = series[0]?.values.length ?? 0;
  const scale = Math.max(1e-12, ...series.flatMap((s) => Array.from(s.values, Math.abs)));
  const anyNegative = series.some((s) => Array.from(s.values).some((v) => v < 0));
  return (
    <table className="head-bars" aria-label={label} data-testid="head-bars">
      <thead>
        <tr>
          <th scope="col">Head</th>
          {series.map((s) => (
            <th scope="col" key={s.name}>
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: nHeads }, (_, h) => (
          <tr key={h} data-testid="head-bar-row">
            <th scope="row">{headHref ? <a href={headHref(h)}>{`L${layer}H${h}`}</a> : `L${layer}H${h}`}</th>
            {series.map((s) => {
              const v = s.values[h] ?? 0;
              const width = (Math.abs(v) / scale) * (anyNegative ? 50 : 100);
              return (
                <td key={s.name}>
                  <div className="head-bars__cell">
                  <span className={`head-bars__track${anyNegative ? ' head-bars__track--signed' : ''}`} aria-hidden="true">
                    <span
                      className={`head-bars__fill${v < 0 ? ' head-bars__fill--negative' : ''}`}
                      style={{ width: `${width}%`, background: activationColor(v === 0 ? 0 : Math.sign(v), 1.4).background }}
                    />
                  </span>
                  <span className="head-bars__value">{formatValue(v, s.format)}</span>
                  </div>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
