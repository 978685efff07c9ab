import { useEffect, useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { LinkForm } from '../../components/LinkForm';
import { fractionOf, sizeText } from '../../components/LoadProgressPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { useLoadStore } from '../../state/loadStore';
import { useUserSaes } from '../../state/userSaes';
import { featureHref } from '../matchRoute';
import { useModelChoice } from '../../state/modelChoice';
import { holdsModel } from '../../state/givenModel';
import { droppedFiles, hasFiles, type DroppedFile } from './droppedFiles';
import { PickFilesButtons } from './PickFilesButtons';
import './saeImport.css';

/**
 * "Bring your own SAE": drop an SAE's folder or files anywhere on the page, pick them, or paste a
 * link (a Hugging Face page works); it is read with a bar per file, in bytes, checked against the
 * model in the worker, and then joins the SAE picker, its features opening as live dashboards.
 */
function addFiles(files: DroppedFile[]): void {
  if (files.length > 0) void useUserSaes.getState().add({ kind: 'files', files });
}

export function SaeImportPanel() {
  const ready = useLoadStore((s) => s.status === 'ready');
  // Select the manifest itself: a fresh `?? []` per call would make the store re-render forever.
  const manifest = useLoadStore((s) => s.manifest);
  const hooks = manifest?.model.hooks ?? [];
  const { saes, loading, progress, error, hookName, setHookName, queued } = useUserSaes();
  const listed = useLoadStore((s) => s.saes);
  const [dragging, setDragging] = useState(false);

  // The whole page is the drop target; text dragged into the prompt is left alone.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      setDragging(false);
      // A model's folder dropped here opens the model (a config.json: SAEs have a cfg.json).
      void droppedFiles(e.dataTransfer!).then((files) => {
        if (holdsModel(files)) useModelChoice.getState().openFiles(files);
        else addFiles(files);
      });
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);


  const busy = !ready || loading !== null;
  return (
    <section className={`panel sae-import${dragging ? ' sae-import--dragging' : ''}`} data-testid="sae-import" aria-label="Add your own SAE">
      <h2 className="sae-import__title">Your own SAE</h2>
      <p className="muted sae-import__hint" data-testid="sae-dropzone">
        Drop an SAE folder or its files anywhere on this page (SAELens <code>cfg.json</code> +{' '}
        <code>sae_weights.safetensors</code>, sparsify <code>cfg.json</code> + <code>sae.safetensors</code>, Gemma Scope{' '}
        <code>params.npz</code>), pick them, or paste a link to the folder.
      </p>
      <div className="sae-import__row">
        <PickFilesButtons onFiles={addFiles} disabled={busy} testIdPrefix="sae" />
        <div className="field">
          <label className="field__label" htmlFor="sae-hook">
            Hook
          </label>
          <select id="sae-hook" className="select" data-testid="sae-hook" value={hookName} onChange={(e) => setHookName(e.target.value)}>
            <option value="">as the files say</option>
            {hooks.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </div>
      </div>
      <LinkForm
        className="sae-import__row"
        onSubmit={(url) => void useUserSaes.getState().add({ kind: 'url', url })}
        label="Link to an SAE folder"
        placeholder="https://huggingface.co/…/resolve/main/…/layer_6"
        buttonLabel="Load"
        inputTestId="sae-url-input"
        buttonTestId="sae-url-load"
        disabled={busy}
      />
      {loading !== null && (
        <div className="sae-import__loading" data-testid="sae-import-progress" aria-live="polite">
          <span className="muted">Loading {loading}…</span>
          {progress.length === 0 && <ProgressBar fraction={null} label={`Loading ${loading}`} />}
          <ul className="load-panel__files">
            {progress.map((p) => (
              <li key={p.file} className="load-panel__file" data-testid="sae-file-progress" data-status={p.status}>
                <span className="load-panel__name" title={p.file}>
                  {p.file}
                </span>
                <span className="load-panel__size">{sizeText(p)}</span>
                <ProgressBar fraction={fractionOf(p)} label={`Reading ${p.file}`} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {queued.length > 0 && (
        <p className="notice" role="status" data-testid="sae-queued">
          Waiting for {loading !== null ? `“${loading}” to load` : 'the model to load'}, then adding: {queued.map((q) => `“${q.origin}”`).join(', ')}.
        </p>
      )}
      {error && (
        <ErrorCard
          error={error}
          hint="Nothing else changed: your text and the other SAEs are as they were."
          onRetry={() => useUserSaes.getState().dismissError()}
          retryLabel="Dismiss"
        />
      )}
      {saes.length > 0 && (
        <ul className="sae-import__list">
          {saes.map((s) => (
            <li key={s.id} data-testid="user-sae" data-sae={s.id}>
              <code>{s.id}</code> <span className="muted">{s.origin}</span>{' '}
              {listed.some((x) => x.id === s.id) && (
                <a className="button button--ghost" href={featureHref(s.id, 0)} title={`Open the live dashboard of feature 0 of ${s.id}`}>
                  Features
                </a>
              )}{' '}
              <button type="button" className="button button--ghost" onClick={() => void useUserSaes.getState().remove(s.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
