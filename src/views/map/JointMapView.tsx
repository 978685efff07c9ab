import { useMemo } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { ScatterPlot } from '../../components/scatter/ScatterPlot';
import type { SaeInfo } from '../../engine/engine';
import { usePromise } from '../../hooks/usePromise';
import { useLoadStore } from '../../state/loadStore';
import { jointKey, useMapStore } from '../../state/mapStore';
import { request } from '../../state/session';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { featureHref, type RouteViewProps } from '../matchRoute';
import { writeViewQuery } from '../viewQuery';
import { categoryColors, categoryCss } from './mapColors';
import { RecomputeControls } from './RecomputeControls';
import './map.css';

/** Nearest latents listed per other SAE for a clicked latent. */
const NEAREST = 5;

/** The SAEs of `?saes=a,b` when given, else the largest group of SAEs that read one hook. */
function chooseSaes(saes: SaeInfo[], query: URLSearchParams): SaeInfo[] {
  const asked = query.get('saes')?.split(',').filter(Boolean);
  if (asked) return asked.map((id) => saes.find((s) => s.id === id)).filter((s): s is SaeInfo => s !== undefined);
  const byHook = new Map<string, SaeInfo[]>();
  for (const s of saes) byHook.set(s.hookName, [...(byHook.get(s.hookName) ?? []), s]);
  return [...byHook.values()].sort((a, b) => b.length - a.length)[0] ?? [];
}

/** The owner (index into the map's SAEs) and local index of row `row` of a joint map. */
function ownerOf(starts: number[], row: number): { s: number; index: number } {
  let s = starts.length - 1;
  while (s > 0 && starts[s]! > row) s--;
  return { s, index: row - starts[s]! };
}

/** The latent `pick=<saeId>:<index>` names (read from the right: an SAE id may hold colons), if one of `ids`. */
function readPick(pick: string | null, ids: readonly string[]): { saeId: string; index: number } | null {
  const m = /^(.+):(\d+)$/.exec(pick ?? '');
  return m && ids.includes(m[1]!) ? { saeId: m[1]!, index: Number(m[2]) } : null;
}

/**
 * `#/joint-map?saes=a,b,…&pick=<saeId>:<index>`: one t-SNE of the latents of several SAEs that read the same hook,
 * coloured by SAE, so a reader sees which directions every architecture learned and which only one
 * did; clicking a latent lists its nearest latents in the other SAEs by decoder cosine.
 */
export function JointMapView({ query }: RouteViewProps) {
  const saes = useLoadStore((s) => s.saes);
  const status = useLoadStore((s) => s.status);
  const chosen = useMemo(() => chooseSaes(saes, query), [saes, query]);
  const ids = chosen.map((s) => s.id);
  const key = jointKey(ids);
  const entry = useMapStore((s) => s.maps[key]);
  const { recompute, cancel } = useMapStore.getState();
  const pick = query.get('pick');
  const picked = useMemo(() => readPick(pick, ids), [pick, key]); // eslint-disable-line react-hooks/exhaustive-deps -- `key` is `ids`, joined
  useDocumentTitle('Joint map', ids.join(', '));
  const layout = entry?.layout ?? null;
  const joint = layout?.joint ?? null;

  const colors = useMemo(() => {
    if (!layout || !joint) return new Uint32Array(0);
    const owner = new Int32Array(layout.xy.length / 2);
    joint.starts.forEach((start, s) => owner.fill(s, start, joint.starts[s + 1] ?? owner.length));
    return categoryColors(owner);
  }, [layout, joint]);

  const nearest = usePromise(
    () => (picked ? request('nearestLatents', { saeId: picked.saeId, index: picked.index, saeIds: ids.filter((id) => id !== picked.saeId), k: NEAREST }) : null),
    [picked, key],
  );

  if (status !== 'ready') return <div className="map-view skeleton-panel" aria-busy="true" />;
  if (chosen.length < 2) {
    return (
      <div className="map-view">
        <ErrorCard error={{ title: 'No joint map to draw', message: 'A joint map needs at least two loaded SAEs that read the same hook.' }} />
      </div>
    );
  }
  const title = (id: string) => chosen.find((s) => s.id === id)?.title ?? id;

  return (
    <div className="map-view" data-testid="joint-map-view">
      <section className="panel map-view__main">
        <h2 className="panel__title">
          Joint map of {chosen.length} SAEs reading <code>{chosen[0]!.hookName}</code>
        </h2>
        <p className="muted" data-testid="map-origin">
          {layout ? `${(layout.xy.length / 2).toLocaleString('en')} latents · computed in this browser${layout.kl != null ? ` · KL ${layout.kl.toFixed(3)}` : ''}` : 'Not computed yet: it takes a minute or two in the browser (fewer iterations, less).'}
        </p>
        <RecomputeControls entry={entry} onRecompute={(settings) => void recompute(ids, settings)} onCancel={() => cancel(key)} />
        {entry?.cancelled && !entry.run && <p className="notice" role="status">Cancelled.</p>}
        {entry?.error && <ErrorCard error={entry.error} />}
        {layout && joint && (
          <ScatterPlot
            xy={layout.xy}
            colors={colors}
            radius={2}
            describe={(row) => {
              const { s, index } = ownerOf(joint.starts, row);
              return (
                <>
                  <strong>{joint.saeIds[s]}</strong> #{index}
                </>
              );
            }}
            onPick={(row) => {
              const { s, index } = ownerOf(joint.starts, row);
              writeViewQuery({ pick: `${joint.saeIds[s]!}:${index}` }, 'push');
            }}
            label={`Joint t-SNE map of ${layout.xy.length / 2} latents of ${ids.join(', ')}`}
          />
        )}
        <ul className="map-legend map-legend--swatches" aria-label="SAEs" data-testid="joint-legend">
          {ids.map((id, s) => (
            <li key={id}>
              <span className="map-legend__swatch" style={{ background: categoryCss(s) }} /> {title(id)}
            </li>
          ))}
        </ul>
        <p className="muted map-view__help">Click a latent to list its nearest latents in the other SAEs.</p>
      </section>
      <aside className="map-view__side">
        <section className="panel" data-testid="joint-nearest">
          <h2 className="panel__title">Nearest in the other SAEs</h2>
          {!picked && <p className="muted">Click a latent on the map.</p>}
          {picked && (
            <>
              <p>
                <a href={featureHref(picked.saeId, picked.index)}>
                  {picked.saeId} #{picked.index}
                </a>{' '}
                <span className="muted">by decoder cosine:</span>
              </p>
              {nearest.status === 'failed' && <p className="error-text">{nearest.error instanceof Error ? nearest.error.message : String(nearest.error)}</p>}
              {nearest.status === 'ready' &&
                nearest.value.map(({ saeId, latents }) => (
                  <div key={saeId} className="joint-nearest__sae">
                    <h3 className="joint-nearest__title">
                      <span className="map-legend__swatch" style={{ background: categoryCss(ids.indexOf(saeId)) }} /> {title(saeId)}
                    </h3>
                    <ol className="map-selection__list">
                      {latents.map(({ index, cosine }) => (
                        <li key={index}>
                          <a href={featureHref(saeId, index)}>#{index}</a> <span className="muted">cos {cosine.toFixed(2)}</span>
                        </li>
                      ))}
                    </ol>
                  </div>
                ))}
            </>
          )}
        </section>
      </aside>
    </div>
  );
}
