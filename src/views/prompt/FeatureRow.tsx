import { formatActivation } from '../../format/numbers';
import { activationColor } from '../../components/tokens/activationColor';
import { useFeatureLabel } from '../../state/labelStore';
import { usePromptStore } from '../../state/promptStore';
import { featureHref } from '../matchRoute';
import { steerFeatureHref } from '../steer/steerUrl';

export interface FeatureRowProps {
  saeId: string;
  index: number;
  value: number;
  /** |value| of a full-width bar */
  scaleMax: number;
  /** this feature colours the strip */
  coloring: boolean;
  onColorBy(index: number | null): void;
  /** a muted line under the label, e.g. the token where a feature peaks */
  note?: string;
  /** shows which heads wrote the feature (where it can be split by head) */
  onAttribute?(): void;
  attributing?: boolean;
}

/** One feature in a list: link to its page, its label when one is known, its activation as a bar. */
export function FeatureRow({ saeId, index, value, scaleMax, coloring, onColorBy, note, onAttribute, attributing = false }: FeatureRowProps) {
  const label = useFeatureLabel(saeId, index);
  const text = usePromptStore((s) => s.text);
  const width = scaleMax > 0 ? Math.min(1, Math.abs(value) / scaleMax) * 100 : 0;
  return (
    <li className={`feature-row${coloring ? ' feature-row--coloring' : ''}`} data-testid="feature-row">
      <a className="feature-row__link" href={featureHref(saeId, index)} title={`Open feature ${index}`}>
        #{index}
      </a>
      <span className="feature-row__text">
        {label !== undefined && (
          <span className="feature-row__label" title={label.text}>
            {label.text}
          </span>
        )}
        {note !== undefined && <span className="feature-row__note muted">{note}</span>}
      </span>
      <span className="feature-row__bar" aria-hidden="true">
        <span
          className="feature-row__fill"
          style={{ width: `${width}%`, background: activationColor(value, Math.abs(value)).background }}
        />
      </span>
      <span className="feature-row__value">{formatActivation(value)}</span>
      <button
        type="button"
        className={`icon-button${coloring ? ' icon-button--on' : ''}`}
        title={coloring ? 'Colour by the strongest feature again' : `Colour the text by feature ${index}`}
        aria-label={coloring ? 'Stop colouring by this feature' : `Colour the text by feature ${index}`}
        aria-pressed={coloring}
        onClick={() => onColorBy(coloring ? null : index)}
      >
        ◐
      </button>
      {onAttribute && (
        <button
          type="button"
          className={`icon-button${attributing ? ' icon-button--on' : ''}`}
          title={`Which heads and earlier tokens wrote feature ${index} here`}
          aria-label={`Which heads wrote feature ${index}`}
          aria-pressed={attributing}
          data-testid="attribute-button"
          onClick={onAttribute}
        >
          ⤶
        </button>
      )}
      <a
        className="icon-button"
        href={steerFeatureHref(saeId, index, 4, text.trim() === '' ? undefined : text)}
        title={`Steer the model with feature ${index} (4× its max activation) and continue this text`}
        aria-label={`Steer with feature ${index}`}
        data-testid="steer-link"
      >
        ⇝
      </a>
    </li>
  );
}
