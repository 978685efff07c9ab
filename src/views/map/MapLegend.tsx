import { interpolateViridis } from 'd3';
import type { ColorBy } from './MapView';
import { categoryCss } from './mapColors';

/** What the map's colours mean: a viridis ramp for values, swatches for heads. */
export function MapLegend({ colorBy, nHeads }: { colorBy: ColorBy; nHeads?: number }) {
  if (colorBy === 'cluster') return <p className="map-legend muted">Colours: clusters of the map itself (k-means on the layout), largest first.</p>;
  if (colorBy === 'head') {
    return (
      <ul className="map-legend map-legend--swatches" aria-label="Heads">
        {Array.from({ length: nHeads ?? 0 }, (_, h) => (
          <li key={h}>
            <span className="map-legend__swatch" style={{ background: categoryCss(h) }} /> head {h}
          </li>
        ))}
      </ul>
    );
  }
  const stops = Array.from({ length: 11 }, (_, i) => `${interpolateViridis(i / 10)} ${i * 10}%`).join(', ');
  return (
    <div className="map-legend">
      <span className="muted">{colorBy === 'density' ? 'rarest' : 'weakest'}</span>
      <span className="map-legend__ramp" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <span className="muted">{colorBy === 'density' ? 'densest (log scale)' : 'strongest max activation'}</span>
      <span className="map-legend__swatch map-legend__swatch--none" /> <span className="muted">never fires</span>
    </div>
  );
}
