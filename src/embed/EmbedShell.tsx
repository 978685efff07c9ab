import { useEffect, useRef, type ReactNode } from 'react';
import { withoutEmbed, type EmbedOptions } from './embedOptions';
import { useContentHeight } from './useContentHeight';
import './embed.css';

interface EmbedShellProps {
  options: EmbedOptions;
  /** the location hash, for the link back to the same view in the full app */
  hash: string;
  children: ReactNode;
}

/** A view in an embed: no header, navigation or footer; its height told to the host; a link back to the app. */
export function EmbedShell({ options, hash, children }: EmbedShellProps) {
  const ref = useRef<HTMLDivElement>(null);
  useContentHeight(ref);
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('embed');
    root.dataset.density = options.density;
    if (options.theme) root.dataset.theme = options.theme;
    else delete root.dataset.theme;
  }, [options.density, options.theme]);
  const appHref = `${window.location.pathname}${window.location.search}${withoutEmbed(hash)}`;
  return (
    <div className="app app--embed" ref={ref} data-testid="embed">
      <main className="app-main">{children}</main>
      <a className="embed-open" href={appHref} target="_blank" rel="noopener" data-testid="embed-open">
        Open in SAE Explorer ↗
      </a>
    </div>
  );
}
