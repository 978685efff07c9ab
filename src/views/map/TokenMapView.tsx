import { useMemo, useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { ProgressBar } from '../../components/ProgressBar';
import { ScatterPlot } from '../../components/scatter/ScatterPlot';
import { displayToken } from '../../components/tokens/tokenDisplay';
import type { TokenMap } from '../../engine/tsne/tokenMap';
import type { TsneProgress } from '../../engine/tsne/tsne';
import { errorCode } from '../../errors/engineError';
import { toAppError, type AppError } from '../../state/appError';
import { useLoadStore } from '../../state/loadStore';
import { usePromptStore } from '../../state/promptStore';
import { request } from '../../state/session';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import type { RouteViewProps } from '../matchRoute';
import { AddressTextNotice } from '../prompt/AddressTextNotice';
import { usePromptAddress } from '../prompt/usePromptAddress';
import { writeViewQuery } from '../viewQuery';
import { categoryColors, continuousColors } from './mapColors';
import './map.css';

type TokenColor = 'position' | 'token';
/** Tokens shown either side of the hovered one. */
const CONTEXT = 4;

type Run =
  | { status: 'running'; progress: TsneProgress | null; stop: AbortController }
  | { status: 'done'; map: TokenMap }
  | { status: 'failed'; error: AppError; cancelled: boolean };

/**
 * `#/token-map/<saeId>?color=token&text=…`: the tokens of the reader's text on a t-SNE map of their codes in one SAE
 * (the vSAE paper's view): tokens the SAE reads alike sit together; hover shows a token in context.
 */
export function TokenMapView({ params, query }: RouteViewProps) {
  const saes = useLoadStore((s) => s.saes);
  const text = usePromptStore((s) => s.text);
  const saeId = params.saeId ?? saes[0]?.id ?? '';
  const [run, setRun] = useState<Run | null>(null);
  const colorBy: TokenColor = query.get('color') === 'token' ? 'token' : 'position';
  useDocumentTitle('Token map', saeId);
  const { notice: addressNotice } = usePromptAddress([]);

  const start = () => {
    if (run?.status === 'running') return;
    const stop = new AbortController();
    setRun({ status: 'running', progress: null, stop });
    request('tokenTsne', { text, saeId }, { signal: stop.signal, onProgress: (progress) => setRun((r) => (r?.status === 'running' && r.stop === stop ? { ...r, progress } : r)) }).then(
      (map) => setRun((r) => (r?.status === 'running' && r.stop === stop ? { status: 'done', map } : r)),
      (err: unknown) =>
        setRun((r) => (r?.status === 'running' && r.stop === stop ? { status: 'failed', error: toAppError('Could not map the tokens', err), cancelled: errorCode(err) === 'cancelled' } : r)),
    );
  };
  const map = run?.status === 'done' ? run.map : null;
  const colors = useMemo(() => {
    if (!map) return new Uint32Array(0);
    if (colorBy === 'position') return continuousColors(map.positions, false);
    const seen = new Map<string, number>();
    return categoryColors(map.positions.map((t) => seen.get(map.tokens[t]!) ?? (seen.set(map.tokens[t]!, seen.size), seen.size - 1)));
  }, [map, colorBy]);

  const describe = (row: number) => {
    const t = map!.positions[row]!;
    const around = (from: number, to: number) => map!.tokens.slice(Math.max(1, from), to).map((tok) => displayToken(tok).text).join('');
    return (
      <span data-testid="token-map-context">
        {around(t - CONTEXT, t)}
        <strong className="token-map__hovered">{displayToken(map!.tokens[t]!).text}</strong>
        {around(t + 1, t + 1 + CONTEXT)} <span className="muted-light">· token {t}</span>
      </span>
    );
  };

  return (
    <div className="map-view" data-testid="token-map-view">
      <section className="panel map-view__main">
        <h2 className="panel__title">Your text’s tokens, mapped by their codes in {saeId}</h2>
        <div className="toolbar map-view__toolbar">
          <label className="field">
            <span className="field__label">Colour by</span>
            <select className="select" value={colorBy} onChange={(e) => writeViewQuery({ color: e.target.value === 'token' ? 'token' : null }, 'push')} data-testid="token-map-color-by">
              <option value="position">position in the text</option>
              <option value="token">token</option>
            </select>
          </label>
          <span className="muted map-view__origin" data-testid="map-origin">
            {map && `${map.positions.length} tokens (of ${map.tokens.length - 1}) · perplexity ${map.perplexity} · KL ${map.kl.toFixed(3)}`}
          </span>
        </div>
        <div className="map-recompute">
          {run?.status === 'running' ? (
            <div className="map-recompute__running" role="status" data-testid="map-progress">
              <ProgressBar fraction={run.progress?.stage === 'layout' ? run.progress.iteration / run.progress.total : null} label="t-SNE progress" />
              <button type="button" className="button button--ghost" onClick={() => run.stop.abort()}>
                Cancel
              </button>
            </div>
          ) : (
            <button type="button" className="button" onClick={start} data-testid="map-recompute-button">
              {run ? 'Map the text again' : 'Map the tokens'}
            </button>
          )}
          <a href="#/">Edit the text</a>
        </div>
        <AddressTextNotice notice={addressNotice} />
        {run?.status === 'failed' && (run.cancelled ? <p className="notice">Cancelled.</p> : <ErrorCard error={run.error} />)}
        {map && <ScatterPlot xy={map.xy} colors={colors} radius={4} describe={describe} label={`t-SNE map of the ${map.positions.length} tokens of your text`} />}
      </section>
    </div>
  );
}
