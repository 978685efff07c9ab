import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { SkipLink } from './components/SkipLink';
import { EmbedShell } from './embed/EmbedShell';
import { parseEmbedOptions } from './embed/embedOptions';
import { useHashLocation } from './hooks/useHashLocation';
import { useLoadStore } from './state/loadStore';
import { usePromptStore } from './state/promptStore';
import { NotFoundView } from './views/NotFoundView';
import { matchRoute, splitHash } from './views/matchRoute';
import { ROUTES } from './views/routes';

const MAIN_ID = 'main-content';

export function App() {
  const hash = useHashLocation();
  const match = matchRoute(ROUTES, hash);
  // The SAE on screen (the view's, else the prompt's): the header's Features and Map links open it.
  const shownSaeId = usePromptStore((s) => match?.params.saeId ?? s.saeId);
  const shownSae = useLoadStore((s) => s.saes.find((x) => x.id === shownSaeId));
  const nav = ROUTES.filter((r) => r.navLabel !== undefined).map((r) => ({
    href: r.navHref ? r.navHref(shownSae) : `#${r.path}`,
    label: r.navLabel!,
    active: match?.route === r,
  }));
  const View = match?.route.view;
  const view = (
    <ErrorBoundary what="this view" resetKey={hash}>
      {View && match ? <View params={match.params} query={match.query} /> : <NotFoundView hash={hash} />}
    </ErrorBoundary>
  );
  const embed = parseEmbedOptions(splitHash(hash).query);
  if (embed.embed) {
    return (
      <EmbedShell options={embed} hash={hash}>
        {view}
      </EmbedShell>
    );
  }
  return (
    <div className="app">
      <SkipLink target={MAIN_ID} />
      <AppHeader nav={nav} />
      <main className="app-main" id={MAIN_ID} tabIndex={-1}>
        {view}
      </main>
      <footer className="app-footer muted">
        The model and its sparse autoencoders run in your browser; nothing you type leaves this page.
      </footer>
    </div>
  );
}
