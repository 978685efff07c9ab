import { useHashLocation } from '../../../hooks/useHashLocation';
import { formatActivation } from '../../../format/numbers';
import { splitHash } from '../../matchRoute';
import { steerFeatureHref } from '../../steer/steerUrl';
import { writeViewQuery } from '../../viewQuery';
import { featureScale, type FeaturePageData } from '../featurePageData';

/** The strength offered before the reader picks one: enough to see the feature's effect on most features. */
const DEFAULT_STRENGTH = '4';

/** A link to the steering page with this feature added at a strength the reader picks (kept in the address, `strength=`). */
export function SteerPanel({ data }: { data: FeaturePageData }) {
  const strength = splitHash(useHashLocation()).query.get('strength') ?? DEFAULT_STRENGTH;
  const max = featureScale(data);
  const value = Number(strength);
  const usable = strength.trim() !== '' && Number.isFinite(value);
  return (
    <div className="steer-link" data-testid="steer-with-feature">
      <label>
        Strength{' '}
        <input className="input" style={{ width: "4em" }} aria-label="Steering strength" value={strength} onChange={(e) => writeViewQuery({ strength: e.target.value === DEFAULT_STRENGTH ? null : e.target.value }, 'type')} />{' '}
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
