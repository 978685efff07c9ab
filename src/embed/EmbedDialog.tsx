import { useEffect, useState } from 'react';
import { DialogButton } from '../components/DialogButton';
import { useHashLocation } from '../hooks/useHashLocation';
import { splitHash } from '../views/matchRoute';
import { FEATURE_PANELS } from '../views/feature/featurePanels';
import { DEFAULT_CHOICES, embedSnippet, embedUrl, type EmbedChoices } from './embedCode';
import './embedDialog.css';

/** "Embed": on every view, the iframe snippet for what is on screen, with its options and a live preview. */
export function EmbedCodeButton() {
  return (
    <DialogButton label="Embed" title="Embed this view" buttonTestId="embed-code-button" dialogTestId="embed-dialog" className="embed-dialog" Contents={EmbedCodeForm} />
  );
}

function EmbedCodeForm() {
  const hash = useHashLocation();
  const { path } = splitHash(hash);
  const isFeature = path.startsWith('/feature/');
  const [choices, setChoices] = useState<EmbedChoices>(DEFAULT_CHOICES);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const set = (patch: Partial<EmbedChoices>) => {
    setChoices((c) => ({ ...c, ...patch }));
    setCopied(null);
  };
  const appUrl = `${window.location.origin}${window.location.pathname}${window.location.search}`;
  const url = embedUrl(appUrl, hash, choices);
  const snippet = embedSnippet(url, new URL('embed.js', document.baseURI).href, `SAE Explorer: ${path}`, choices.height);
  // The preview reloads when the reader pauses, not on every keystroke.
  const [previewUrl, setPreviewUrl] = useState(url);
  useEffect(() => {
    const timer = setTimeout(() => setPreviewUrl(url), 600);
    return () => clearTimeout(timer);
  }, [url]);
  const panels = choices.panels ?? FEATURE_PANELS.map((p) => p.id);
  const togglePanel = (id: string) => {
    const next = panels.includes(id) ? panels.filter((p) => p !== id) : FEATURE_PANELS.map((p) => p.id).filter((p) => p === id || panels.includes(p));
    set({ panels: next.length === FEATURE_PANELS.length || next.length === 0 ? null : next });
  };
  const copy = () =>
    navigator.clipboard.writeText(snippet).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );

  return (
    <div className="embed-dialog__grid">
      <form className="embed-dialog__form" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field__label">Theme</span>
          <select className="select" value={choices.theme} onChange={(e) => set({ theme: e.target.value as EmbedChoices['theme'] })} data-testid="embed-theme">
            <option value="">Light (default)</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">Density</span>
          <select className="select" value={choices.density} onChange={(e) => set({ density: e.target.value as EmbedChoices['density'] })} data-testid="embed-density">
            <option value="comfortable">Comfortable</option>
            <option value="compact">Compact</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">Starting text (optional)</span>
          <textarea className="textarea" rows={2} value={choices.text} onChange={(e) => set({ text: e.target.value })} data-testid="embed-text" />
        </label>
        {isFeature && (
          <fieldset className="embed-dialog__panels" data-testid="embed-panels">
            <legend className="field__label">Panels</legend>
            {FEATURE_PANELS.map((p) => (
              <label key={p.id}>
                <input type="checkbox" checked={panels.includes(p.id)} onChange={() => togglePanel(p.id)} /> {p.title}
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span className="field__label">Pages that may drive it by postMessage (origins, comma-separated)</span>
          <input className="input" placeholder="https://your-blog.example" value={choices.origins} onChange={(e) => set({ origins: e.target.value })} data-testid="embed-origins" />
        </label>
        <label className="field">
          <span className="field__label">Height before it sizes itself (px)</span>
          <input className="input" type="number" min={100} max={4000} value={choices.height} onChange={(e) => set({ height: Number(e.target.value) || DEFAULT_CHOICES.height })} />
        </label>
        <label className="field">
          <span className="field__label">Code to paste into your page</span>
          <textarea className="textarea embed-dialog__code" readOnly rows={5} value={snippet} data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <div className="embed-dialog__actions">
          <button type="button" className="button" onClick={() => void copy()} data-testid="embed-copy">
            Copy embed code
          </button>
          <span aria-live="polite" className="muted">
            {copied === 'yes' && 'Copied.'}
            {copied === 'failed' && 'This browser refused the clipboard: select the code above and copy it.'}
          </span>
        </div>
      </form>
      <div className="embed-dialog__preview">
        <span className="field__label">Preview</span>
        <iframe key={previewUrl} src={previewUrl} title="Preview of the embed" data-testid="embed-preview" />
      </div>
    </div>
  );
}
