import { formatActivation } from '../../format/numbers';
import { legendGradient } from './activationColor';
import './colorLegend.css';

export interface ColorLegendProps {
  /** |value| at the scale's ends */
  scaleMax: number;
  /** show the negative half too (signed activations) */
  signed: boolean;
  /** what the colour measures, e.g. "strongest feature" */
  caption: string;
}

/** The strip's colour scale, with its end values. */
export function ColorLegend({ scaleMax, signed, caption }: ColorLegendProps) {
  return (
    <figure className="legend" aria-label={`Colour scale: ${caption}`}>
      <div className="legend__bar" style={{ background: legendGradient(signed) }} />
      <figcaption className="legend__ticks">
        <span>{signed ? formatActivation(-scaleMax) : '0'}</span>
        <span className="legend__caption">{caption}</span>
        <span>{formatActivation(scaleMax)}</span>
      </figcaption>
    </figure>
  );
}
