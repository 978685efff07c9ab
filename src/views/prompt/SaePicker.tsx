import { qualityLine, useBundleQuality, useSaeMeasurements } from '../../state/saeQuality';
import { useLoadStore } from '../../state/loadStore';
import type { SaeInfo } from '../../engine/engine';

export interface SaePickerProps {
  saes: readonly SaeInfo[];
  value: string | null;
  onChange(saeId: string): void;
  disabled?: boolean;
}

/** The reader's SAEs are told apart by id: two of one architecture on one hook share a title. */
function optionText(sae: SaeInfo): string {
  if (sae.source === 'user') return sae.title && sae.title !== sae.id ? `${sae.id} · ${sae.title}` : sae.id;
  return sae.title && sae.title !== sae.id ? sae.title : sae.id;
}

/** Chooses the SAE (and with it the layer and hook) whose features are shown. */
/** The chosen SAE's measured quality, linked to the comparison of every SAE. */
function QualityHint({ saeId }: { saeId: string }) {
  const bundle = useBundleQuality();
  const measured = useSaeMeasurements((s) => s.runs[saeId]);
  const quality = (bundle.status === 'ready' ? bundle.value.byId.get(saeId) : undefined) ?? (measured?.status === 'done' ? measured.quality : undefined);
  return (
    <span className="field__hint" data-testid="sae-quality">
      {quality ? qualityLine(quality) : 'not measured yet'} · <a href="#/saes">compare SAEs</a>
    </span>
  );
}

export function SaePicker({ saes, value, onChange, disabled }: SaePickerProps) {
  const layers = [...new Set(saes.map((s) => s.layer))].sort((a, b) => a - b);
  const current = saes.find((s) => s.id === value);
  // A model opened from Hugging Face files comes without SAEs.
  const loaded = useLoadStore((s) => s.status === 'ready');
  return (
    <div className="field sae-picker">
      <label className="field__label" htmlFor="sae-picker">
        SAE
      </label>
      <select
        id="sae-picker"
        className="select"
        data-testid="sae-picker"
        value={value ?? ''}
        disabled={disabled || saes.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        {saes.length === 0 && <option value="">{loaded ? 'none yet: add your own below' : 'loading…'}</option>}
        {layers.map((layer) => (
          <optgroup key={layer} label={`Layer ${layer}`}>
            {saes
              .filter((s) => s.layer === layer)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {optionText(s)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {current && (
        <span className="field__hint">
          <code>{current.hookName}</code> · {current.architecture} · {current.dSae.toLocaleString('en-US')} features
          {current.source === 'user' ? ' · your SAE' : ''}
        </span>
      )}
      {current && <QualityHint saeId={current.id} />}
    </div>
  );
}
