import { useState } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import type { MapEntry } from '../../state/mapStore';

export interface RecomputeControlsProps {
  entry: MapEntry | undefined;
  /** starts a run with these settings */
  onRecompute(settings: { perplexity: number; iterations: number; seed: number }): void;
  onCancel(): void;
}

/** t-SNE's settings, Recompute, and while it runs its progress and Cancel. */
export function RecomputeControls({ entry, onRecompute, onCancel }: RecomputeControlsProps) {
  const [perplexity, setPerplexity] = useState('30');
  const [iterations, setIterations] = useState('1000');
  const [seed, setSeed] = useState('1');
  const run = entry?.run ?? null;
  const progress = run?.progress ?? null;
  const numbers = { perplexity: Number(perplexity), iterations: Number(iterations), seed: Number(seed) };
  const valid = numbers.perplexity > 0 && Number.isInteger(numbers.iterations) && numbers.iterations > 0 && Number.isInteger(numbers.seed);

  return (
    <div className="map-recompute" data-testid="map-recompute">
      <label className="field">
        <span className="field__label">Perplexity</span>
        <input className="input input--narrow" type="number" min={1} value={perplexity} onChange={(e) => setPerplexity(e.target.value)} disabled={run !== null} data-testid="map-perplexity" />
      </label>
      <label className="field">
        <span className="field__label">Iterations</span>
        <input className="input input--narrow" type="number" min={1} value={iterations} onChange={(e) => setIterations(e.target.value)} disabled={run !== null} />
      </label>
      <label className="field">
        <span className="field__label">Seed</span>
        <input className="input input--narrow" type="number" value={seed} onChange={(e) => setSeed(e.target.value)} disabled={run !== null} />
      </label>
      {run ? (
        <div className="map-recompute__running" role="status" data-testid="map-progress">
          <ProgressBar fraction={progress && progress.stage === 'layout' ? progress.iteration / progress.total : null} label="t-SNE progress" />
          <span className="muted">
            {progress === null || progress.stage === 'affinities' ? 'finding neighbours…' : `iteration ${progress.iteration} of ${progress.total}`}
          </span>
          <button type="button" className="button button--ghost" onClick={onCancel} data-testid="map-cancel">
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button" disabled={!valid} onClick={() => onRecompute(numbers)} data-testid="map-recompute-button">
          Recompute in this browser
        </button>
      )}
    </div>
  );
}
