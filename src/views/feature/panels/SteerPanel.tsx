import { useState } from 'react';
import { formatActivation } from '../../../format/numbers';
import { steerFeatureHref } from '../../steer/steerUrl';
import { featureScale, type FeaturePageData } from '../featurePageData';

/** A link to the steering page with this feature added at a strength the reader picks. */
export function SteerPanel({ data }: { data: FeaturePageData }) {
  const [strength, setStrength] = useState('4');
  const max = featureScale(data);
  const value = Number(strength);
  const usable = strength.trim() !== '' && Number.isFinite(value);
  return (
    <div className="steer-link" data-testid="steer-with-feature">
      <label>
        Strength{' '}
        <input className="input" style={{ width: "4em" }} aria-label="Steering strength" value={strength} onChange={(e) => setStrength(e.target.value)} />{' '}
        {max > 0 ? `× its max activation (${formatActivation(max)})` : '(activation units)'}
      </label>{' '}
      {usable ? (
        <a className="button" data-testid="steer-with-feature-link" href={steerFeatureHref(data.sae.id, data.index, value)}>
          Steer with this feature
        </a>
      ) : (
        <span className="inline-error">“{strength}” is not a number.</span>
      )}
    </div>
  );
}
