import { useState } from 'react';

export interface ColorByControlProps {
  /** the feature colouring the strip, or null for each token's strongest feature */
  feature: number | null;
  dSae: number;
  onChange(feature: number | null): void;
}

/** Colours the strip by each token's strongest feature, or by one feature typed in. */
export function ColorByControl({ feature, dSae, onChange }: ColorByControlProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (feature === null ? '' : String(feature));

  const commit = (raw: string) => {
    setDraft(null);
    const trimmed = raw.trim();
    if (trimmed === '') return onChange(null);
    const n = Number(trimmed);
    if (Number.isInteger(n) && n >= 0 && n < dSae) onChange(n);
  };
  const parsed = Number(shown);
  const invalid = shown.trim() !== '' && !(Number.isInteger(parsed) && parsed >= 0 && parsed < dSae);

  return (
    <div className="field color-by">
      <label className="field__label" htmlFor="color-by">
        Colour by
      </label>
      <div className="color-by__row">
        <input
          id="color-by"
          className={`input color-by__input${invalid ? ' input--invalid' : ''}`}
          data-testid="color-by"
          inputMode="numeric"
          placeholder="strongest feature"
          value={shown}
          aria-invalid={invalid}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(e.currentTarget.value);
            if (e.key === 'Escape') setDraft(null);
          }}
        />
        {feature !== null && (
          <button type="button" className="button button--ghost" onClick={() => onChange(null)}>
            Strongest
          </button>
        )}
      </div>
      <span className="field__hint">{invalid ? `a feature from 0 to ${dSae - 1}` : 'feature index, or empty'}</span>
    </div>
  );
}
