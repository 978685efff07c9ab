import { useEffect, useMemo } from 'react';
import { ScatterPlot } from '../../components/scatter/ScatterPlot';
import { formatActivation } from '../../format/numbers';
import { useFeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { useMapStore } from '../../state/mapStore';
import type { PromptActivations } from '../../worker/protocol';
import { featureHref } from '../matchRoute';
import { categoryColors, layoutClusters } from './mapColors';
import { useLitLatents } from './useReaderActivations';
import './map.css';

const CLUSTERS = 12;

export interface PromptMapPanelProps {
  /** the prompt's activations: their SAE's map is shown */
  result: PromptActivations;
  /** the token under the pointer (or selected): its latents alone are lit; null lights the whole text's */
  token: number | null;
}

/**
 * The prompt's SAE's latent map beside the text: the latents active on the text lit and sized by
 * activation, those of the hovered token alone while the pointer is on one. A bundled SAE's map
 * comes with the bundle; the reader's own is computed on the map page, not here behind their back.
 */
export function PromptMapPanel({ result, token: asked }: PromptMapPanelProps) {
  const saeId = result.saeId;
  const token = asked !== null && asked > 0 && asked < result.nTokens ? asked : null;
  const entry = useMapStore((s) => s.maps[saeId]);
  const bundled = useLoadStore((s) => s.saes.find((x) => x.id === saeId)?.source === 'bundle');
  const labels = useFeatureLabels(saeId);
  useEffect(() => {
    if (bundled) void useMapStore.getState().open(saeId);
  }, [bundled, saeId]);
  const layout = entry?.layout ?? null;
  const n = layout ? layout.xy.length / 2 : 0;
  const lit = useLitLatents(result, token, n);
  const colors = useMemo(() => (layout ? categoryColors(layoutClusters(layout.xy, CLUSTERS)) : new Uint32Array(0)), [layout]);
  const mapHref = `#/map/${encodeURIComponent(saeId)}`;

  return (
    <section className="panel prompt-map" data-testid="prompt-map">
      <h2 className="panel__title">
        On the latent map <a href={mapHref} className="prompt-map__open">open the map</a>
      </h2>
      {!layout ? (
        <p className="muted">{bundled ? 'Loading the map…' : <>This SAE has no map yet: <a href={mapHref}>compute it</a>.</>}</p>
      ) : (
        <>
          <p className="muted" data-testid="prompt-map-lit">
            {lit?.active.size ?? 0} latents lit {token === null ? 'across the text' : `at “${result.tokens[token]}”`} · hover a token to light its own
          </p>
          <ScatterPlot
            xy={layout.xy}
            colors={colors}
            {...(lit ? { highlight: lit.radii } : {})}
            height={320}
            radius={2}
            describe={(i) => (
              <>
                <strong>#{i}</strong> {labels?.[i]?.text ?? ''}
                {lit?.active.has(i) && <div>on your text: {formatActivation(lit.active.get(i)!)}</div>}
              </>
            )}
            onPick={(i) => (window.location.hash = featureHref(saeId, i))}
            label={`Latent map of ${saeId} with the latents active on your text lit`}
          />
        </>
      )}
    </section>
  );
}
