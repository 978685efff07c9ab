import { useEffect, useState } from 'react';
import { ErrorCard } from '../../components/ErrorCard';
import { LoadGate } from '../../components/LoadGate';
import { sizeText } from '../../components/LoadProgressPanel';
import type { LoadProgress } from '../../engine/types';
import { useLoadStore } from '../../state/loadStore';
import { SaeImportPanel } from '../byo/SaeImportPanel';
import { PromptMapPanel } from '../map/PromptMapPanel';
import { usePromptStore } from '../../state/promptStore';
import { ColorByControl } from './ColorByControl';
import { FeaturesPanel, FeaturesPlaceholder } from './FeaturesPanel';
import { PromptStorageNotice } from './PromptStorageNotice';
import { ResultView } from './ResultView';
import { SaePicker } from './SaePicker';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { AddressTextNotice } from './AddressTextNotice';
import { PROMPT_CHOICES } from './promptAddress';
import { usePromptAddress } from './usePromptAddress';
import { usePromptPreview } from './usePromptPreview';
import './promptPreview.css';

/** The home screen: type text, see which features fire on each token. */
export function PromptView() {
  const saes = useLoadStore((s) => s.saes);
  const ready = useLoadStore((s) => s.status === 'ready');
  const loadFailed = useLoadStore((s) => s.status === 'failed');
  const text = usePromptStore((s) => s.text);
  const saeId = usePromptStore((s) => s.saeId);
  const colorFeature = usePromptStore((s) => s.colorFeature);
  useDocumentTitle('Prompt', colorFeature !== null ? `feature ${colorFeature}` : null, saeId);
  const selectedToken = usePromptStore((s) => s.selectedToken);
  const result = usePromptStore((s) => s.result);
  const computing = usePromptStore((s) => s.computing);
  // of the SAE's files downloading on its first use, the largest (its weights) is the one to show
  const download = usePromptStore((s) => largest(s.downloads));
  const error = usePromptStore((s) => s.error);
  const { setText } = usePromptStore.getState();
  // The view's state lives in its address; the reader's choices are steps of Back and Forward.
  const { notice: addressNotice, steps } = usePromptAddress(PROMPT_CHOICES);
  const { setSaeId, setColorFeature, selectToken } = steps;
  // Escape lets go of the selected token, wherever the focus is.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && usePromptStore.getState().selectedToken !== null) selectToken(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectToken]);
  // The token under the pointer lights its latents on the map below; it is nobody else's business.
  const [hoveredToken, setHoveredToken] = useState<number | null>(null);

  // Until the first live result, the build's precomputed one for the default text: the engine's own
  // values, so nothing moves when the live one takes its place.
  const preview = usePromptPreview();
  const precomputed =
    result === null && !error && !loadFailed && preview !== null && preview.activations.text === text && (saeId === null || saeId === preview.activations.saeId)
      ? preview
      : null;
  // While a new text or SAE computes, the previous result stays on screen, dimmed.
  const shown = result ?? precomputed?.activations ?? null;
  const stale = precomputed === null && (computing || (result !== null && result.saeId !== saeId));
  const resultStrip = shown && (
    <div
      className={stale ? 'stale' : undefined}
      data-testid={precomputed ? 'result-precomputed' : 'result'}
      data-precomputed={precomputed ? 'true' : undefined}
      data-sae={shown.saeId}
    >
      <ResultView
        result={shown}
        colorFeature={colorFeature}
        selectedToken={selectedToken}
        onSelectToken={(i) => selectToken(i === selectedToken ? null : i)}
        onHoverToken={setHoveredToken}
      />
    </div>
  );

  return (
    <div className="prompt-view">
      <h1 className="visually-hidden">Features of your text</h1>
      <div className="prompt-view__main">
        <section className="panel prompt-input">
          <label className="field__label" htmlFor="prompt-text">
            Text
          </label>
          <textarea
            id="prompt-text"
            className="textarea"
            data-testid="prompt-input"
            value={text}
            spellCheck={false}
            rows={4}
            placeholder="Type or paste some text…"
            onChange={(e) => setText(e.target.value)}
          />
          <PromptStorageNotice />
          <AddressTextNotice notice={addressNotice} />
        </section>

        <section className="panel results" aria-busy={computing}>
          {precomputed && (
            <span className="spinner--on precomputed-note" role="status" data-testid="precomputed-note">
              precomputed · {ready ? 'computing live…' : 'live model loading…'}
            </span>
          )}
          <div className="toolbar">
            <SaePicker saes={precomputed && !ready ? precomputed.saes : saes} value={saeId ?? precomputed?.activations.saeId ?? null} onChange={setSaeId} disabled={!ready} />
            {shown && <ColorByControl feature={colorFeature} dSae={shown.dSae} onChange={setColorFeature} />}
            <span className={`spinner${computing && !precomputed ? ' spinner--on' : ''}`} role="status" aria-label={computing ? 'Computing' : undefined}>
              {computing && !precomputed ? (download ? `loading the SAE’s weights… ${sizeText(download)}` : 'computing…') : ''}
            </span>
          </div>
          {precomputed && !ready ? (
            resultStrip
          ) : (
            <LoadGate>
              {error ? (
                <ErrorCard error={error} hint="Your text is kept. Choose another SAE, or edit the text to try again." />
              ) : shown ? (
                resultStrip
              ) : text.trim() === '' ? (
                <p className="empty">Type some text above to see which features fire on each token.</p>
              ) : (
                <p className="empty">Computing activations…</p>
              )}
            </LoadGate>
          )}
        </section>

        {ready && shown && !error && <PromptMapPanel result={shown} token={hoveredToken ?? selectedToken} />}

        <SaeImportPanel />
      </div>

      {(ready || precomputed) && shown && !error ? (
        <FeaturesPanel
          result={shown}
          token={selectedToken !== null && selectedToken < shown.nTokens ? selectedToken : null}
          colorFeature={colorFeature}
          onColorBy={setColorFeature}
          onClearToken={() => selectToken(null)}
        />
      ) : (
        <FeaturesPlaceholder />
      )}
    </div>
  );
}

function largest(files: readonly LoadProgress[]): LoadProgress | null {
  return files.reduce<LoadProgress | null>((a, f) => (a === null || (f.totalBytes ?? 0) >= (a.totalBytes ?? 0) ? f : a), null);
}
