import { useEffect, useMemo, useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { ScatterPlot } from '../../components/scatter/ScatterPlot';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { formatActivation, formatDensity } from '../../format/numbers';
import { usePromise } from '../../hooks/usePromise';
import { useFeatureLabels } from '../../state/labelStore';
import { useLoadStore } from '../../state/loadStore';
import { useMapStore } from '../../state/mapStore';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { featureHref, type RouteViewProps } from '../matchRoute';
import { usePromptAddress } from '../prompt/usePromptAddress';
import { navigateTo, withPath, writeViewQuery } from '../viewQuery';
import { SaePicker } from '../prompt/SaePicker';
import { MapLegend } from './MapLegend';
import { argmaxRows, categoryColors, continuousColors, layoutClusters } from './mapColors';
import { readSelection, selectionParam } from './latentSelection';
import { ReaderTextPanel } from './ReaderTextPanel';
import { RecomputeControls } from './RecomputeControls';
import { SelectionPanel } from './SelectionPanel';
import { useLitLatents, useReaderActivations } from './useReaderActivations';
import './map.css';

export type ColorBy = 'density' | 'maxAct' | 'cluster' | 'head';
const COLOR_BYS: readonly ColorBy[] = ['density', 'maxAct', 'cluster', 'head'];

const CLUSTERS = 12;

/**
 * `#/map/<saeId>?color=<by>&sel=<latents>&text=…`: every latent of an SAE on one t-SNE map (`#/map`:
 * the first SAE's), with the latents active on the prompt's text lit (`lit=off` turns that off)
 * and those boxed by the reader listed (./latentSelection.ts).
 */
export function MapView({ params, query }: RouteViewProps) {
  const saes = useLoadStore((s) => s.saes);
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const root = usePromise(() => (bundleUrl ? dashboardSourceFor(bundleUrl).root() : null), [bundleUrl]);
  const saeId = params.saeId ?? saes[0]?.id ?? (root.status === 'ready' ? root.value.saes[0]?.id : undefined);
  useDocumentTitle('Map', saeId);
  usePromptAddress([]);
  if (!saeId) return <div className="map-view skeleton-panel" aria-busy="true" />;
  return <SaeMap key={saeId} saeId={saeId} query={query} />;
}

function SaeMap({ saeId, query }: { saeId: string; query: URLSearchParams }) {
  const saes = useLoadStore((s) => s.saes);
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const entry = useMapStore((s) => s.maps[saeId]);
  const { open, recompute, cancel } = useMapStore.getState();
  const info = saes.find((s) => s.id === saeId);
  const sameHook = info ? saes.filter((s) => s.hookName === info.hookName) : [];
  const bundled = info?.source !== 'user';
  const source = dashboardSourceFor(bundleUrl);
  const root = usePromise(() => (bundled ? source.root() : null), [source, bundled]);
  const index = usePromise(() => (bundled ? source.saeIndex(saeId) : null), [source, saeId, bundled]);
  const kind = index.status === 'ready' ? index.value.sae.kind : info?.kind;
  const heads = usePromise(() => (bundled && kind === 'attn' ? source.headStats(saeId) : null), [source, saeId, bundled, kind]);
  const labels = useFeatureLabels(saeId);
  const asked = query.get('color') as ColorBy | null;
  const colorBy = asked !== null && COLOR_BYS.includes(asked) ? asked : 'density';
  // A selection too large for a link stays on the page only, while the address has none.
  const [unlinked, setUnlinked] = useState<number[] | null>(null);
  const showText = query.get('lit') !== 'off';
  const [hoveredToken, setHoveredToken] = useState<number | null>(null);
  const reader = useReaderActivations(saeId, showText);

  useEffect(() => void open(saeId), [open, saeId]);

  const layout = entry?.layout ?? null;
  const n = layout ? layout.xy.length / 2 : 0;
  const selParam = query.get('sel');
  const linked = useMemo(() => readSelection(selParam, n), [selParam, n]);
  const selection = unlinked !== null && selParam === null ? unlinked : linked;
  const select = (indices: number[]) => {
    const param = selectionParam(indices);
    setUnlinked(param === null ? indices : null);
    writeViewQuery({ sel: indices.length === 0 ? null : param }, 'push');
  };
  const summaries = index.status === 'ready' && index.value.features.nActive.length === n ? index.value.features : null;
  const nTokens = root.status === 'ready' ? root.value.corpus.nTokens : null;
  const headShares = heads.status === 'ready' && heads.value.weightShares.length === n * heads.value.nHeads ? heads.value : null;
  const available: ColorBy[] = [...(summaries ? (['density', 'maxAct'] as const) : []), 'cluster', ...(headShares ? (['head'] as const) : [])];
  const shownColor = available.includes(colorBy) ? colorBy : 'cluster';

  // Which head writes each latent most: its largest share of the encoder column (weightHeadShares).
  const topHead = useMemo(() => (headShares ? argmaxRows(headShares.weightShares, headShares.nHeads) : null), [headShares]);

  const colors = useMemo(() => {
    if (!layout) return new Uint32Array(0);
    if (shownColor === 'density' && summaries && nTokens) return continuousColors(summaries.nActive.map((a) => a / nTokens), true);
    if (shownColor === 'maxAct' && summaries) return continuousColors(summaries.maxAct.map(Math.abs), false);
    if (shownColor === 'head' && topHead) return categoryColors(topHead);
    return categoryColors(layoutClusters(layout.xy, CLUSTERS));
  }, [layout, shownColor, summaries, nTokens, topHead]);

  // The latents active on the reader's text (or on the hovered token), sized by activation.
  const litLatents = useLitLatents(reader.acts, hoveredToken, n);
  const active = litLatents?.active ?? null;
  const lit = litLatents?.radii;

  const describe = (i: number) => (
    <>
      <strong>#{i}</strong> {labels?.[i]?.text ?? ''}
      {summaries && nTokens && (
        <div className="muted-light">
          density {formatDensity(summaries.nActive[i]! / nTokens)} · max {formatActivation(summaries.maxAct[i]!)}
        </div>
      )}
      {active?.has(i) && <div>on your text: {formatActivation(active.get(i)!)}</div>}
      {topHead && topHead[i]! >= 0 && <div className="muted-light">written most through head {topHead[i]}</div>}
    </>
  );

  return (
    <div className="map-view" data-testid="map-view">
      <section className="panel map-view__main">
        <div className="toolbar map-view__toolbar">
          <SaePicker saes={saes} value={saeId} onChange={(id) => navigateTo(withPath(window.location.hash, `/map/${encodeURIComponent(id)}`), 'push')} disabled={saes.length === 0} />
          <label className="field">
            <span className="field__label">Colour by</span>
            <select className="select" value={shownColor} onChange={(e) => writeViewQuery({ color: e.target.value }, 'push')} data-testid="map-color-by">
              {available.map((c) => (
                <option key={c} value={c}>
                  {COLOR_NAMES[c]}
                </option>
              ))}
            </select>
          </label>
          {sameHook.length > 1 && (
            <a className="map-view__joint" href={`#/joint-map?saes=${sameHook.map((x) => encodeURIComponent(x.id)).join(',')}`} data-testid="joint-map-link">
              Joint map with the {sameHook.length - 1} other SAE{sameHook.length > 2 ? 's' : ''} on this hook
            </a>
          )}
          <span className="muted map-view__origin" data-testid="map-origin">
            {layout && `${n.toLocaleString('en')} latents · ${layout.origin === 'precomputed' ? 'precomputed with the bundle' : 'computed in this browser'}`}
            {layout?.kl != null && ` · KL ${layout.kl.toFixed(3)}`}
          </span>
        </div>
        <RecomputeControls entry={entry} onRecompute={(settings) => void recompute([saeId], settings)} onCancel={() => cancel(saeId)} />
        {entry?.cancelled && !entry.run && (
          <p className="notice" role="status" data-testid="map-cancelled">
            Recomputing was cancelled{layout ? '; the map shown is the one from before.' : '.'}
          </p>
        )}
        {entry?.error && <ErrorCard error={entry.error} onRetry={() => void recompute([saeId])} retryLabel="Compute it in this browser" />}
        {layout ? (
          <ScatterPlot
            xy={layout.xy}
            colors={colors}
            {...(lit ? { highlight: lit } : {})}
            describe={describe}
            onPick={(i) => (window.location.hash = featureHref(saeId, i))}
            onSelect={select}
            label={`t-SNE map of the ${n} latents of ${saeId}`}
          />
        ) : (
          !entry?.error && <div className="skeleton-panel map-view__placeholder" aria-busy="true" data-testid="map-loading" />
        )}
        <MapLegend colorBy={shownColor} {...(headShares ? { nHeads: headShares.nHeads } : {})} />
        <p className="muted map-view__help">Drag to pan, scroll to zoom, click a latent to open its dashboard, shift-drag to select a box.</p>
      </section>
      <aside className="map-view__side">
        <ReaderTextPanel
          acts={reader.acts}
          failed={reader.failed}
          enabled={showText}
          onToggle={(on) => writeViewQuery({ lit: on ? null : 'off' }, 'push')}
          litCount={lit?.size ?? 0}
          hoveredToken={hoveredToken}
          onHoverToken={setHoveredToken}
        />
        <SelectionPanel saeId={saeId} selection={selection} linked={selection !== unlinked} labels={labels} onClear={() => select([])} />
      </aside>
    </div>
  );
}

const COLOR_NAMES: Record<ColorBy, string> = {
  density: 'density (log)',
  maxAct: 'max activation',
  cluster: 'cluster on the map',
  head: 'head that writes it most',
};
