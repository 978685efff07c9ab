/**
 * The module worker that hosts the engine, so tokenising and running ONNX never block the page: the
 * engine's handlers (./handlers.ts) behind the generic dispatcher (./dispatch.ts).
 */
import { createDispatcher } from './dispatch';
import { engineHandlers } from './handlers';
import type { ToWorker } from './protocol';

const dispatcher = createDispatcher(
  engineHandlers({
    engineReplaced: () => dispatcher.dropWaiting(),
    // The very files ORT's own chunks point to (Vite emits one asset each), fetched by the engine with progress.
    // Asset URLs, not `?url` imports: those are modules of onnxruntime-web, which Vite would put in ORT's chunk
    // and so load it with the worker, before the engine asks for it (and a failed ORT download would fail the worker).
    runtimeWasm: {
      wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url).href,
      webgpu: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
    },
  }),
  (message, transfer) => self.postMessage(message, { transfer }),
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => dispatcher.receive(event.data));
