import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { appOptionsFromPage } from './state/appOptions';
import { startSession } from './state/session';
import './styles/index.css';

startSession(appOptionsFromPage());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element to render the app into.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
