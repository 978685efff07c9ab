/** The app's production build (vite.config.ts), in memory, for checks on what dist/ would hold. */
import path from 'node:path';
import { build, type Rolldown } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Every file `vite build` writes into dist/, except the model bundle the plugin copies beside them. */
export async function buildAppInMemory(): Promise<(Rolldown.OutputChunk | Rolldown.OutputAsset)[]> {
  const out = await build({ root: ROOT, configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { write: false } });
  return (Array.isArray(out) ? out : [out as Rolldown.RolldownOutput]).flatMap((o) => o.output);
}
