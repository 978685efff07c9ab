import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { appOptionsFromPage } from './state/appOptions';
import { startSession } from './state/session';
import { startStores } from './state/startStores';
import './styles/index.css';

// The stores first: the session's first analysis reads the prompt they read back.
startStores();
startSession(appOptionsFromPage());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element to render the app into.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
