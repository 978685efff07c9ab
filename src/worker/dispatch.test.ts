/**
 * The request map end to end, without a browser: an EngineClient talks to the dispatcher through a
 * stand-in port that structured-clones every message (and moves transferred buffers), as
 * postMessage does, over handlers that stand in for the engine's.
 */
import { describe, expect, it } from 'vitest';
import { EngineError, throwIfCancelled } from '../errors/engineError';
import { EngineClient, type WorkerPort } from './client';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch';
import type { FromWorker, PromptActivations, ToWorker } from './protocol';

function unexpected(): never {
  throw new Error('not used by this test');
}

const idle: Handlers = {
  load: unexpected,
  analyze: unexpected,
  addSae: unexpected,
  removeSae: unexpected,
  liveFeature: unexpected,
  corpusDashboards: unexpected,
  corpusInfo: unexpected,
  useCorpus: unexpected,
  corpusFeature: unexpected,
  moreExamples: unexpected,
  attribution: unexpected,
  attention: unexpected,
  evaluateSae: unexpected,
  generate: unexpected,
  ablate: unexpected,
  splice: unexpected,
  tsne: unexpected,
  jointTsne: unexpected,
  nearestLatents: unexpected,
  tokenTsne: unexpected,
};

/** A message's trip across the thread boundary: a task later, cloned, its transferred buffers moved. */
function cross<T>(message: T, transfer: Transferable[]): Promise<T> {
  const copy = structuredClone(message, { transfer: transfer as Transferable[] });
  return new Promise((resolve) => setTimeout(() => resolve(copy), 0));
}

function connect(handlers: Partial<Handlers>): { client: EngineClient; dispatcher: Dispatcher; send(message: unknown): void; received: FromWorker[] } {
  const received: FromWorker[] = [];
  let toPage: (message: FromWorker) => void = () => {};
  const dispatcher = createDispatcher({ ...idle, ...handlers }, (message, transfer) =>
    void cross(message, transfer).then((m) => {
      received.push(m);
      toPage(m);
    }),
  );
  const send = (message: unknown, transfer: Transferable[] = []) => void cross(message as ToWorker, transfer).then((m) => dispatcher.receive(m));
  const port = {
    postMessage: (message: ToWorker, { transfer }: { transfer: Transferable[] }) => send(message, transfer),
    addEventListener: (type: string, listener: (event: MessageEvent<FromWorker>) => void) => {
      if (type === 'message') toPage = (data) => listener({ data } as MessageEvent<FromWorker>);
    },
  } as WorkerPort;
  return { client: new EngineClient(port), dispatcher, send, received };
}

/** A promise and the functions that settle it, for handlers the test finishes by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function activations(text: string): PromptActivations {
  return { text, saeId: 's', ids: [0], tokens: ['<bos>'], special: [true], truncated: false, nCtx: 8, nTokens: 1, dSae: 2, acts: new Float32Array([1, 2]) };
}

/**
 * Lets every message in flight arrive: each crossing is one timer task, so a few rounds of timer
 * tasks settle a request and its answer however busy the machine is (a fixed delay would not).
 */
async function tick(): Promise<void> {
  for (let round = 0; round < 10; round++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the worker request map', () => {
  it('answers a request with its handler’s result, after its progress events', async () => {
    const { client } = connect({
      load: async ({ bundleUrl }, { progress }) => {
        progress({ file: 'model.onnx', status: 'done', loadedBytes: 3, totalBytes: 3 });
        return { manifest: { name: bundleUrl } as never, backend: { name: 'wasm', threads: 1 }, saes: [] };
      },
    });
    const events: string[] = [];
    const loaded = await client.request('load', { bundleUrl: 'b/', backend: 'auto' }, { onProgress: (p) => events.push('file' in p ? `${p.file} ${p.status}` : p.step) });
    expect(events).toEqual(['model.onnx done']);
    expect(loaded.manifest).toEqual({ name: 'b/' });
  });

  it('moves the buffers a handler transfers instead of copying them', async () => {
    const sent = activations('a');
    const { client } = connect({
      analyze: async ({ text }, { transfer }) => {
        transfer(sent.acts.buffer);
        return { ...sent, text };
      },
    });
    const result = await client.request('analyze', { text: 'a', saeId: 's' });
    expect(Array.from(result!.acts)).toEqual([1, 2]);
    expect(sent.acts.byteLength).toBe(0);
  });

  it('rethrows a handler’s EngineError on the page with its code and source', async () => {
    const { client } = connect({
      liveFeature: async ({ saeId, index }) => {
        throw new EngineError(`Feature ${index} does not exist.`, saeId, 'not-found');
      },
      removeSae: async () => {
        throw new TypeError('x is undefined');
      },
    });
    const failure = client.request('liveFeature', { saeId: 'mine', index: 9 });
    await expect(failure).rejects.toBeInstanceOf(EngineError);
    await expect(failure).rejects.toMatchObject({ message: 'Feature 9 does not exist.', source: 'mine', code: 'not-found' });
    // Anything else is a bug or a platform failure: it still arrives, as 'internal'.
    await expect(client.request('removeSae', { saeId: 'mine' })).rejects.toMatchObject({ message: 'x is undefined', code: 'internal' });
  });

  it('answers a request it does not know with a bad-request error, and keeps serving', async () => {
    const { send, received, client } = connect({ removeSae: async ({ saeId }) => ({ saeId, saes: [] }) });
    send({ kind: 'request', id: 99, name: 'teleport', params: {} });
    await tick();
    expect(received).toEqual([{ kind: 'failed', id: 99, error: expect.objectContaining({ code: 'bad-request' }) }]);
    await expect(client.request('removeSae', { saeId: 'x' })).resolves.toEqual({ saeId: 'x', saes: [] });
  });

  it('runs the newest of a lane’s waiting requests and answers the older ones null; other lanes keep theirs', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const started: string[] = [];
    const { client } = connect({
      analyze: async ({ text }) => {
        started.push(text);
        const gate = deferred<void>();
        gates.set(text, gate);
        await gate.promise;
        return activations(text);
      },
    });
    const first = client.request('analyze', { text: 'a', saeId: 's' });
    await tick();
    const stale = client.request('analyze', { text: 'ab', saeId: 's' });
    const otherLane = client.request('analyze', { text: 'page', saeId: 's', lane: 'feature' });
    const newest = client.request('analyze', { text: 'abc', saeId: 's' });
    await expect(stale).resolves.toBeNull();
    gates.get('a')!.resolve();
    await expect(first).resolves.toMatchObject({ text: 'a' });
    await tick();
    gates.get('page')?.resolve();
    await tick();
    gates.get('abc')?.resolve();
    await expect(otherLane).resolves.toMatchObject({ text: 'page' });
    await expect(newest).resolves.toMatchObject({ text: 'abc' });
    expect(started).toEqual(['a', 'page', 'abc']);
  });

  it('drops what waits in the lanes when asked (a new bundle is loading)', async () => {
    const gate = deferred<void>();
    const { client, dispatcher } = connect({
      analyze: async ({ text }) => {
        await gate.promise;
        return activations(text);
      },
    });
    const running = client.request('analyze', { text: 'a', saeId: 's' });
    await tick();
    const waiting = client.request('analyze', { text: 'b', saeId: 's' });
    await tick();
    dispatcher.dropWaiting();
    await expect(waiting).resolves.toBeNull();
    gate.resolve();
    await expect(running).resolves.toMatchObject({ text: 'a' });
  });

  it('cancels a running request through its signal: it fails with code cancelled', async () => {
    const { client } = connect({
      corpusDashboards: async (_params, { progress, signal }) => {
        for (let done = 0; ; done++) {
          throwIfCancelled(signal, 'Computing the corpus panels');
          progress({ stage: 'corpus', done, total: 100 });
          await tick();
        }
      },
    });
    const stop = new AbortController();
    const run = client.request('corpusDashboards', { saeId: 's', nSeqs: 100 }, { onProgress: (p) => p.done === 2 && stop.abort(), signal: stop.signal });
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: 'Computing the corpus panels was cancelled.' });
  });

  it('cancels a request still waiting in its lane before it runs', async () => {
    const gate = deferred<void>();
    const started: string[] = [];
    const { client } = connect({
      analyze: async ({ text }) => {
        started.push(text);
        await gate.promise;
        return activations(text);
      },
    });
    const running = client.request('analyze', { text: 'a', saeId: 's' });
    await tick();
    const stop = new AbortController();
    const waiting = client.request('analyze', { text: 'b', saeId: 's' }, { signal: stop.signal });
    await tick();
    stop.abort();
    await tick();
    gate.resolve();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    await expect(running).resolves.toMatchObject({ text: 'a' });
    expect(started).toEqual(['a']);
  });

  it('refuses at once a request whose signal is already aborted', async () => {
    const { client, received } = connect({});
    const stop = new AbortController();
    stop.abort();
    await expect(client.request('removeSae', { saeId: 'x' }, { signal: stop.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(received).toEqual([]);
  });
});
