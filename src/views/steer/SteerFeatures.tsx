import type { SaeInfo } from '../../engine/engine';
import { formatActivation } from '../../format/numbers';
import { featureHref } from '../matchRoute';
import type { SteerRow } from './steerUrl';

export interface SteerFeaturesProps {
  rows: readonly SteerRow[];
  saes: readonly SaeInfo[];
  /** each row's problem, or null where it can be used */
  problems: readonly (string | null)[];
  maxAct(saeId: string, feature: number): number | null;
  onChange(rows: SteerRow[]): void;
}

/** The features to steer with: SAE, feature, strength, add or clamp, and where. */
export function SteerFeatures({ rows, saes, problems, maxAct, onChange }: SteerFeaturesProps) {
  const update = (i: number, patch: Partial<SteerRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="steer-features" data-testid="steer-features">
      {rows.map((row, i) => {
        const feature = Number(row.feature);
        const max = Number.isInteger(feature) ? maxAct(row.saeId, feature) : null;
        const fromToken = /^from(\d+)$/.exec(row.where)?.[1];
        return (
          <div key={i} className="steer-feature" data-testid="steer-feature">
            <select className="select" aria-label="SAE" value={row.saeId} onChange={(e) => update(i, { saeId: e.target.value })}>
              {!saes.some((s) => s.id === row.saeId) && <option value={row.saeId}>{row.saeId} (not loaded)</option>}
              {saes.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id}
                </option>
              ))}
            </select>
            <label>
              feature{' '}
              <input className="input steer-feature__index" data-testid="steer-feature-index" inputMode="numeric" value={row.feature} onChange={(e) => update(i, { feature: e.target.value })} />
            </label>
            <select className="select" aria-label="How to steer" value={row.mode} onChange={(e) => update(i, { mode: e.target.value as SteerRow['mode'] })}>
              <option value="add">add</option>
              <option value="clamp">clamp to</option>
            </select>
            <label>
              <input
                className={`input steer-feature__strength${problems[i] ? ' input--invalid' : ''}`}
                data-testid="steer-strength"
                aria-label="Strength"
                inputMode="decimal"
                value={row.strength}
                onChange={(e) => update(i, { strength: e.target.value })}
              />{' '}
              {row.mode === 'add' ? (max !== null ? `× max act (${formatActivation(max)})` : '(activation units)') : 'activation'}
            </label>
            <select
              className="select"
              aria-label="Where"
              value={fromToken ? 'from' : row.where}
              onChange={(e) => update(i, { where: e.target.value === 'from' ? 'from1' : e.target.value })}
            >
              <option value="all">at every token</option>
              <option value="from">from token…</option>
              <option value="gen">on generated tokens</option>
            </select>
            {fromToken !== undefined && (
              <input className="input steer-feature__index" aria-label="From token" inputMode="numeric" value={fromToken} onChange={(e) => update(i, { where: `from${e.target.value}` })} />
            )}
            {Number.isInteger(feature) && saes.some((s) => s.id === row.saeId) && <a href={featureHref(row.saeId, feature)}>dashboard</a>}
            <button type="button" className="link-button" aria-label={`Remove feature ${row.feature}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              remove
            </button>
            {problems[i] && (
              <p className="inline-error" data-testid="steer-problem">
                {problems[i]}
              </p>
            )}
          </div>
        );
      })}
      <button
        type="button"
        className="button button--ghost"
        onClick={() => onChange([...rows, { saeId: rows.at(-1)?.saeId ?? saes[0]?.id ?? '', feature: '0', strength: '4', mode: 'add', where: 'all' }])}
      >
        + Add a feature
      </button>
    </div>
  );
}
