/**
 * The module worker that hosts the engine, so tokenising and running ONNX never block the page: the
 * engine's handlers (./handlers.ts) behind the generic dispatcher (./dispatch.ts).
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortWebGpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { createDispatcher } from './dispatch';
import { engineHandlers } from './handlers';
import type { ToWorker } from './protocol';

const dispatcher = createDispatcher(
  engineHandlers({
    engineReplaced: () => dispatcher.dropWaiting(),
    // The very files ORT's own chunks point to (one asset each in the build), fetched by the engine with progress.
    runtimeWasm: { wasm: ortWasmUrl, webgpu: ortWebGpuWasmUrl },
  }),
  (message, transfer) => self.postMessage(message, { transfer }),
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => dispatcher.receive(event.data));
