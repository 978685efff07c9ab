/**
 * Lets the worker dispatch the messages that arrived meanwhile (an analysis, a cancel). A model run
 * on the wasm backend settles through microtasks alone, so without this a long job (a corpus pass,
 * a generation) would never leave the event loop a turn and they would wait until it ended.
 */
export function messagesDispatched(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
