/** The app's production build (vite.config.ts), in memory, for checks on what dist/ would hold. */
import path from 'node:path';
import { build, type Rolldown } from 'vite';
import app from '../vite.config.ts';
import { withoutServiceWorker } from './withoutServiceWorker.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Every file `vite build` writes into dist/, except the model bundle the plugin copies beside them and
 * the service worker (its plugin would write it, and it is built apart from the page's chunks).
 */
export async function buildAppInMemory(): Promise<(Rolldown.OutputChunk | Rolldown.OutputAsset)[]> {
  const config = withoutServiceWorker(app);
  const out = await build({ ...config, root: ROOT, configFile: false, logLevel: 'warn', build: { ...config.build, write: false } });
  return (Array.isArray(out) ? out : [out as Rolldown.RolldownOutput]).flatMap((o) => o.output);
}
