import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
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

export default defineConfig({
  // Relative asset URLs, so dist/ works from any sub-path of any static host.
  base: './',
  plugins: [react(), modelBundle(import.meta.dirname)],
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
