import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startEmbed } from './embed/startEmbed';
import { registerOffline } from './offline/registerOffline';
import { appOptionsFromPage } from './state/appOptions';
import { startSession } from './state/session';
import { startStores } from './state/startStores';
import './styles/index.css';

// An embed first (its prompt is not the stored one), then the stores: the session's first analysis reads the prompt they read back.
const embed = startEmbed(window.location.hash);
startStores();
startSession(appOptionsFromPage(), { lazy: embed?.lazyEngine ?? false });
registerOffline({ embed: embed !== null });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element to render the app into.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
