import { useState } from 'react';
import { EmbedCodeButton } from '../embed/EmbedDialog';
import { useLoadStore } from '../state/loadStore';
import { ModelMenu } from '../views/model/ModelMenu';
import { BackendBadge } from './BackendBadge';

export interface NavLink {
  href: string;
  label: string;
  active: boolean;
}

/** The bar over every screen: name, navigation, which model is loaded (and opening another) and what runs it. */
export function AppHeader({ nav }: { nav: NavLink[] }) {
  const manifest = useLoadStore((s) => s.manifest);
  const backend = useLoadStore((s) => s.backend);
  const status = useLoadStore((s) => s.status);
  const model = manifest?.model;
  // On a phone the navigation folds behind a Menu button (layout.css); choosing a view folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  // Escape folds an open menu and gives the focus back to its button.
  const onKeyDown = (e: React.KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || !menuOpen) return;
    setMenuOpen(false);
    e.currentTarget.querySelector<HTMLButtonElement>('.app-header__menu')?.focus();
  };
  return (
    <header className="app-header" onKeyDown={onKeyDown}>
      <a className="app-header__brand" href="#/">
        <span className="app-header__logo" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
        <span className="app-header__brand-name">SAE Explorer</span>
      </a>
      <button
        type="button"
        className="app-header__menu"
        aria-expanded={menuOpen}
        aria-controls="app-nav"
        data-testid="nav-menu"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        Menu
      </button>
      <nav
        id="app-nav"
        className={`app-header__nav${menuOpen ? ' app-header__nav--open' : ''}`}
        aria-label="Views"
        onClick={() => setMenuOpen(false)}
      >
        {nav.map((n) => (
          <a key={n.href} href={n.href} className={n.active ? 'active' : undefined} aria-current={n.active ? 'page' : undefined}>
            {n.label}
          </a>
        ))}
      </nav>
      <div className="app-header__status">
        <EmbedCodeButton />
        <ModelMenu
          label={
            manifest && model ? (
              <>
                <span className="app-header__model" data-testid="model-name" title={`${model.n_layers} layers · d_model ${model.d_model} · context ${model.n_ctx} · vocabulary ${model.d_vocab}. Open another model…`}>
                  {manifest.name}
                  <span className="muted">
                    {' '}
                    · {model.n_layers} layers · d<sub>model</sub> {model.d_model}
                  </span>
                </span>
                <span className="app-header__model-short">Model</span>
              </>
            ) : (
              'Open a model'
            )
          }
        />
        {status === 'failed' && !backend ? (
          <span className="status-badge status-badge--failed" data-testid="backend">
            not loaded
          </span>
        ) : (
          <BackendBadge backend={backend} />
        )}
      </div>
    </header>
  );
}
