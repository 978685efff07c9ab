import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { modelBundle } from './vite-plugins/modelBundle.ts';

/** Cross-origin isolation: onnxruntime-web needs SharedArrayBuffer for wasm threads. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * onnxruntime-web must sit in chunks of its own: its wasm thread workers import the chunk that
 * holds ORT, and if that chunk also holds app code they run it and die ("document is not defined").
 * Its WebGPU build and its plain wasm build get one chunk each: a page loads only the one it uses.
 */
const ortChunk = {
  codeSplitting: {
    groups: [
      { name: 'onnxruntime-web-webgpu', test: /[\\/]node_modules[\\/]onnxruntime-web[\\/]dist[\\/]ort\.webgpu/ },
      { name: 'onnxruntime-web', test: /[\\/]node_modules[\\/]onnxruntime-web[\\/]/ },
    ],
  },
};

/**
 * The offline service worker (src/offline/sw.ts), built with the list of the app shell's files to
 * precache. The model bundle is left out (the engine keeps its own checked copies, the worker keeps
 * the page's on use), and so are onnxruntime's wasm binaries (14 MB and more: kept on first use).
 * The page registers it itself (src/offline/registerOffline.ts), and not in embeds.
 */
const offline = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/offline',
  filename: 'sw.ts',
  injectRegister: false,
  manifest: false,
  injectManifest: {
    globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
    globIgnores: ['models/**', '**/*.wasm'],
    rollupFormat: 'iife',
  },
});

export default defineConfig({
  // Relative asset URLs, so dist/ works from any sub-path of any static host.
  base: './',
  plugins: [react(), modelBundle(import.meta.dirname), offline],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Pre-bundling ORT moves it away from its .wasm files; let Vite serve it as it is.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: {
    format: 'es',
    rolldownOptions: { output: ortChunk },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    // index.html only: the parity and benchmark pages are built apart (tools/vite.config.ts).
    rolldownOptions: { output: ortChunk },
  },
});
