/**
 * The module worker that hosts the engine, so tokenising and running ONNX never block the page: the
 * engine's handlers (./handlers.ts) behind the generic dispatcher (./dispatch.ts).
 */
import { createDispatcher } from './dispatch';
import { engineHandlers } from './handlers';
import type { ToWorker } from './protocol';

const dispatcher = createDispatcher(
  engineHandlers({ engineReplaced: () => dispatcher.dropWaiting() }),
  (message, transfer) => self.postMessage(message, { transfer }),
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => dispatcher.receive(event.data));
