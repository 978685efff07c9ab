import type { ReactNode } from 'react';
import { formatCount } from '../../format/numbers';
import { useLoadStore } from '../../state/loadStore';
import { CorpusPanelsControl } from '../feature/CorpusPanelsControl';
import { featureHref } from '../matchRoute';

/**
 * The index of the reader's own SAE before its corpus panels are computed: nothing to list by
 * density or top tokens yet, so it offers to compute them here (the table then appears), and links
 * its features' live dashboards meanwhile. `children`: the SAE switcher.
 */
export function UserSaeIndexIntro({ saeId, children }: { saeId: string; children: ReactNode }) {
  const sae = useLoadStore((s) => s.saes.find((x) => x.id === saeId));
  return (
    <div className="features-view" data-testid="features-view-user">
      <header className="panel features-header">
        <div className="features-header__text">
          <p className="features-header__kicker muted">Feature index · your own SAE</p>
          <h1>{sae?.title ?? saeId}</h1>
          {sae && (
            <div className="features-header__meta">
              <span className="chip chip--mono">{sae.hookName}</span>
              <span className="chip">{formatCount(sae.dSae)} features</span>
            </div>
          )}
          {children}
          <p className="muted">
            Its features are listed by density, top tokens and label once its corpus panels are computed in this browser, over the
            held-out text. Meanwhile each feature’s live dashboard opens from its address, e.g.{' '}
            <a href={featureHref(saeId, 0)}>feature 0</a>.
          </p>
          {sae ? (
            <CorpusPanelsControl saeId={saeId} />
          ) : (
            <p className="notice">Your SAE is still loading again from this browser’s storage…</p>
          )}
        </div>
      </header>
    </div>
  );
}
