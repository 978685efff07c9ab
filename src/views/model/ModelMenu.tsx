import type { ReactNode } from 'react';
import { DialogButton } from '../../components/DialogButton';
import { ErrorCard } from '../../components/ErrorCard';
import { LinkForm } from '../../components/LinkForm';
import { formatBytes } from '../../format/numbers';
import { useLoadStore } from '../../state/loadStore';
import { keptModelName, opensOtherModel, typedModel } from '../../state/modelAddress';
import { useModelChoice, type ProcessingChoice } from '../../state/modelChoice';
import type { DroppedFile } from '../byo/droppedFiles';
import { PickFilesButtons } from '../byo/PickFilesButtons';
import { useDropZone } from '../byo/useDropZone';
import './modelMenu.css';

/**
 * The header's model (`label`: its name, or "Open a model" while none is loaded) opens "Open a
 * model", on every view and while a load fails: a Hugging Face GPT-2 by
 * repo id or folder URL, or its folder dropped or picked from disk (then kept in this browser), a
 * model kept before, or back to the bundled model.
 */
export function ModelMenu({ label }: { label: ReactNode }) {
  return (
    <DialogButton
      label={
        <>
          {label}
          <span className="model-menu__caret" aria-hidden="true">
            ▾
          </span>
        </>
      }
      buttonClassName="model-menu"
      title="Open a model"
      buttonTestId="model-menu-button"
      dialogTestId="model-dialog"
      className="model-dialog"
      onOpen={readKept}
      openWhen={onError}
      Contents={ModelChoices}
    />
  );
}

const readKept = () => void useModelChoice.getState().readKept();

/** A model dropped anywhere on the page that cannot be opened (or kept) says why in the dialog. */
const onError = (open: () => void) => useModelChoice.subscribe((s, prev) => s.error !== null && prev.error === null && open());

const PROCESSING_CHOICES: [ProcessingChoice, string][] = [
  ['defaults', 'processed as TransformerLens does by default (what SAELens SAEs were trained on)'],
  ['none', 'as saved, unprocessed (processing=none)'],
];

function ModelChoices({ onClose }: { onClose: () => void }) {
  const { kept, processing, error } = useModelChoice();
  const name = useLoadStore((s) => s.manifest?.name);
  const openNow = keptModelName(new URL(window.location.href).searchParams.get('model') ?? '');

  const give = (files: DroppedFile[]) => {
    // The load card shows the model opening; what is wrong with the files stays here.
    if (useModelChoice.getState().openFiles(files)) onClose();
  };
  const drop = useDropZone(give);

  return (
    <>
      <p className="muted">
        {name === undefined ? (
          'No model is open. '
        ) : (
          <>
            Open now: <strong data-testid="model-open-now">{name}</strong>
            {openNow !== null ? ', from your files, kept in this browser' : opensOtherModel(window.location.href) ? '' : ', the model bundled with the explorer'}.{' '}
          </>
        )}
        A Hugging Face GPT-2 (<code>config.json</code>, <code>model.safetensors</code>, <code>tokenizer.json</code>) runs here as the bundled
        model does; it comes without SAEs: add yours once it is open.
      </p>
      <fieldset className="model-dialog__processing" data-testid="model-processing">
        <legend className="field__label">Weights</legend>
        {PROCESSING_CHOICES.map(([value, text]) => (
          <label key={value}>
            <input type="radio" name="model-processing" value={value} checked={processing === value} onChange={() => useModelChoice.getState().setProcessing(value)} />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      <LinkForm
        initial={typedModel(window.location.href)}
        onSubmit={(model) => useModelChoice.getState().openAddress(model)}
        label="Hugging Face repo id or folder URL"
        placeholder="openai-community/gpt2, or https://…/folder/"
        buttonLabel="Open"
        inputTestId="model-url-input"
        buttonTestId="model-url-open"
        type="text"
      />
      <div className={`model-dialog__drop${drop.dragging ? ' model-dialog__drop--dragging' : ''}`} data-testid="model-dropzone" {...drop.handlers}>
        <span className="muted">Drop the model’s folder here, or</span>
        <PickFilesButtons onFiles={give} testIdPrefix="model" />
      </div>
      {error && (
        <ErrorCard
          error={error}
          hint="Nothing else changed."
          onRetry={() => useModelChoice.getState().dismissError()}
          retryLabel="Dismiss"
        />
      )}
      {kept !== null && kept.length > 0 && (
        <section className="model-dialog__kept">
          <h3 className="field__label">Kept in this browser</h3>
          <ul>
            {kept.map((k) => (
              <li key={k.name} data-testid="kept-model" data-model={k.name}>
                <code>{k.name}</code>{' '}
                <span className="muted">
                  {formatBytes(k.bytes)}
                  {k.processing !== null ? ` · processing=${k.processing}` : ''}
                  {k.name === openNow ? ' · open now' : ''}
                </span>{' '}
                {k.name !== openNow && (
                  <button type="button" className="button button--ghost button--small" onClick={() => useModelChoice.getState().openKept(k.name)}>
                    Open
                  </button>
                )}{' '}
                <button type="button" className="button button--ghost button--small" data-testid="kept-model-forget" onClick={() => void useModelChoice.getState().forget(k.name)}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {opensOtherModel(window.location.href) && (
        <button type="button" className="button button--ghost" data-testid="model-bundled" onClick={() => useModelChoice.getState().openBundled()}>
          Back to the bundled model
        </button>
      )}
    </>
  );
}
