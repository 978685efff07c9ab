/**
 * The page's half watching its worker: a worker whose script fails, or that goes silent while
 * requests wait, is stopped, and every request — in flight or sent later — fails at once instead of
 * waiting forever. The "worker" here is a port the test answers by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../errors/engineError';
import { EngineClient, PING_EVERY_MS, SILENCE_LIMIT_MS, type WorkerPort } from './client';
import { createDispatcher, type Handlers } from './dispatch';
import type { FromWorker, ToWorker } from './protocol';

function fakeWorker() {
  const sent: ToWorker[] = [];
  let onMessage: (e: MessageEvent<FromWorker>) => void = () => {};
  let onError: (e: ErrorEvent) => void = () => {};
  let terminated = false;
  const port: WorkerPort = {
    postMessage: (m) => void sent.push(m),
    addEventListener: ((type: string, listener: unknown) => {
      if (type === 'message') onMessage = listener as typeof onMessage;
      else onError = listener as typeof onError;
    }) as WorkerPort['addEventListener'],
    terminate: () => void (terminated = true),
  };
  return {
    port,
    sent,
    answer: (m: FromWorker) => onMessage({ data: m } as MessageEvent<FromWorker>),
    fail: (message: string) => onError({ message, filename: '', preventDefault() {} } as ErrorEvent),
    get terminated() {
      return terminated;
    },
  };
}

describe('the engine client watching its worker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings a worker while requests wait; a worker that answers is never stopped, however long the work', async () => {
    const worker = fakeWorker();
    const stopped = vi.fn();
    const client = new EngineClient(worker.port, { onStopped: stopped });
    const reply = client.request('removeSae', { saeId: 'a' });
    for (let t = 0; t < 4 * SILENCE_LIMIT_MS; t += PING_EVERY_MS) {
      await vi.advanceTimersByTimeAsync(PING_EVERY_MS);
      if (worker.sent.at(-1)?.kind === 'ping') worker.answer({ kind: 'pong' });
    }
    expect(worker.sent.filter((m) => m.kind === 'ping').length).toBeGreaterThan(10);
    worker.answer({ kind: 'done', id: 1, result: { saeId: 'a', saes: [] } });
    await expect(reply).resolves.toEqual({ saeId: 'a', saes: [] });
    expect(stopped).not.toHaveBeenCalled();
    // Idle, it is left alone.
    const pings = worker.sent.length;
    await vi.advanceTimersByTimeAsync(4 * SILENCE_LIMIT_MS);
    expect(worker.sent.length).toBe(pings);
    expect(worker.terminated).toBe(false);
  });

  it('counts silence in unanswered pings, so timers firing minutes apart (a hidden tab) never stop a live worker', async () => {
    const worker = fakeWorker();
    const stopped = vi.fn();
    const client = new EngineClient(worker.port, { onStopped: stopped });
    void client.request('removeSae', { saeId: 'a' });
    for (let i = 0; i < 5; i++) {
      // The page's clock jumps ten minutes between two ticks; the worker answers each ping it gets.
      vi.setSystemTime(Date.now() + 10 * 60_000);
      await vi.advanceTimersByTimeAsync(PING_EVERY_MS);
      worker.answer({ kind: 'pong' });
    }
    expect(stopped).not.toHaveBeenCalled();
    expect(worker.terminated).toBe(false);
  });

  it('stops a worker that goes silent while a request waits: the request fails, later ones fail at once, and the page is told', async () => {
    const worker = fakeWorker();
    const stopped = vi.fn();
    const client = new EngineClient(worker.port, { onStopped: stopped });
    const reply = client.request('analyze', { text: 'x', saeId: 's' });
    const failed = expect(reply).rejects.toMatchObject({ code: 'no-engine', message: expect.stringMatching(/stopped answering/) });
    await vi.advanceTimersByTimeAsync(SILENCE_LIMIT_MS + 2 * PING_EVERY_MS);
    await failed;
    expect(worker.terminated).toBe(true);
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(stopped.mock.calls[0]![0]).toBeInstanceOf(EngineError);
    await expect(client.request('removeSae', { saeId: 'a' })).rejects.toMatchObject({ code: 'no-engine' });
  });

  it('stops a worker whose script fails, naming the script, and never leaves a request waiting', async () => {
    const worker = fakeWorker();
    const stopped = vi.fn();
    const client = new EngineClient(worker.port, { onStopped: stopped });
    const reply = client.request('removeSae', { saeId: 'a' });
    worker.fail('');
    await expect(reply).rejects.toMatchObject({ code: 'no-engine', source: 'engine.worker.js', message: expect.stringMatching(/could not be loaded/) });
    expect(stopped).toHaveBeenCalledTimes(1);
    await expect(client.request('removeSae', { saeId: 'a' })).rejects.toMatchObject({ code: 'no-engine' });
  });

  it('the worker answers a ping with a pong, whatever it is doing', () => {
    const posted: FromWorker[] = [];
    // No handler is reached by a ping.
    const dispatcher = createDispatcher({} as Handlers, (m) => posted.push(m));
    dispatcher.receive({ kind: 'ping' });
    expect(posted).toEqual([{ kind: 'pong' }]);
  });

  it('close() stops the worker without calling it a failure', async () => {
    const worker = fakeWorker();
    const stopped = vi.fn();
    const client = new EngineClient(worker.port, { onStopped: stopped });
    const reply = client.request('removeSae', { saeId: 'a' });
    client.close();
    await expect(reply).rejects.toMatchObject({ code: 'no-engine' });
    expect(worker.terminated).toBe(true);
    expect(stopped).not.toHaveBeenCalled();
  });
});
