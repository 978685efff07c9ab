import { useRef, useState } from 'react';
import { errorMessage } from '../../errors/engineError';
import { importExplanations, useImportedExplanations } from '../../state/explanationStore';
import './importExplanations.css';

export interface ImportExplanationsProps {
  saeId: string;
  dSae: number;
}

/**
 * Reads a JSON file of explanations (Neuronpedia's export format, see engine/analysis/
 * explanations.ts) for this SAE; they replace the provisional labels everywhere, in this browser.
 */
export function ImportExplanations({ saeId, dSae }: ImportExplanationsProps) {
  const input = useRef<HTMLInputElement>(null);
  const file = useImportedExplanations((s) => s.fileBySae[saeId]);
  const forget = useImportedExplanations((s) => s.forget);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const onFile = async (f: File | undefined) => {
    if (!f) return;
    try {
      const n = await importExplanations(saeId, f, dSae);
      setMessage({ ok: true, text: `${n} explanation${n === 1 ? '' : 's'} imported from ${f.name}.` });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="import-explanations">
      <input ref={input} type="file" accept=".json,application/json" hidden data-testid="explanations-file" onChange={(e) => void onFile(e.target.files?.[0])} />
      <button type="button" className="button button--ghost button--small" onClick={() => input.current?.click()} title="A JSON list of {index, description} objects, as Neuronpedia exports them">
        Import explanations…
      </button>
      {file !== undefined && (
        <span className="import-explanations__current muted">
          using {file} ·{' '}
          <button type="button" className="link-button" onClick={() => forget(saeId)}>
            remove
          </button>
        </span>
      )}
      {message && (
        <span className={message.ok ? 'import-explanations__ok' : 'inline-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </span>
      )}
    </div>
  );
}
