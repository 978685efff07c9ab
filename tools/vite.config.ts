/**
 * The pages that check and time the engine in a browser, built apart from the app so that dist/
 * never ships them: parity.html (this browser's outputs against the bundle's PyTorch fixtures, run
 * by e2e/parity.spec.ts) and bench.html (the browser half of `npm run bench:model`).
 *
 *   vite build --config tools/vite.config.ts       → build/tools/
 *   vite preview --config tools/vite.config.ts     serves it, cross-origin isolated like the app
 *
 * Everything else is the app's config, so the pages load onnxruntime-web and the bundle exactly as
 * the app does (ORT in chunks of its own, the bundle under models/<name>/).
 */
import path from 'node:path';
import { mergeConfig } from 'vite';
import app from '../vite.config.ts';
import { withoutServiceWorker } from './withoutServiceWorker.ts';

// The offline service worker is the app's alone: no tool page registers it.
export default mergeConfig(withoutServiceWorker(app), {
  root: import.meta.dirname,
  build: {
    outDir: path.resolve(import.meta.dirname, '../build/tools'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        parity: `${import.meta.dirname}/parity.html`,
        bench: `${import.meta.dirname}/bench.html`,
        'scatter-bench': `${import.meta.dirname}/scatter-bench.html`,
        'steer-bench': `${import.meta.dirname}/steer-bench.html`,
        'dfa-bench': `${import.meta.dirname}/dfa-bench.html`,
        'screening-bench': `${import.meta.dirname}/screening-bench.html`,
        'gpt2-bench': `${import.meta.dirname}/gpt2-bench.html`,
      },
    },
  },
});
