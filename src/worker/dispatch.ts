/**
 * The worker's half of the request map (./protocol.ts): routes each request to its handler, reports
 * its progress, answers it once — result, superseded or a serialised error — and stops it when the
 * page cancels it. Requests with a lane run through LatestOnly, one queue per request name, so a
 * request kind's lanes never drop another kind's requests.
 */
import { EngineError, throwIfCancelled } from '../errors/engineError';
import { LatestOnly } from './latestOnly';
import { REQUESTS, serializeError, type FromWorker, type ParamsOf, type ProgressOf, type RequestName, type ResultOf, type ToWorker } from './protocol';

/** What a handler gets besides its params. */
export interface RequestContext<K extends RequestName> {
  /** aborted when the page cancels the request; long work checks it between steps */
  signal: AbortSignal;
  progress(p: ProgressOf<K>): void;
  /** buffers of the result to move to the page rather than copy (the handler must not use them after) */
  transfer(...buffers: Transferable[]): void;
}

export type Handler<K extends RequestName> = (params: ParamsOf<K>, ctx: RequestContext<K>) => Promise<ResultOf<K>>;

/** One handler per request of the protocol: the compiler refuses a map that misses one. */
export type Handlers = { [K in RequestName]: Handler<K> };

type Post = (message: FromWorker, transfer: Transferable[]) => void;

interface Job {
  id: number;
  name: RequestName;
  params: unknown;
  stop: AbortController;
}

export interface Dispatcher {
  receive(message: ToWorker): void;
  /** Answers every request still waiting in a lane as superseded (what they would run on is gone). */
  dropWaiting(): void;
}

export function createDispatcher(handlers: Handlers, post: Post): Dispatcher {
  /** requests received and not yet answered, to cancel */
  const open = new Map<number, AbortController>();
  const lanes = new Map<RequestName, LatestOnly<Job>>();

  const answer = async ({ id, name, params, stop }: Job): Promise<void> => {
    throwIfCancelled(stop.signal, `The request "${name}"`);
    const transfer: Transferable[] = [];
    // The map pairs each name with its handler; the compiler cannot follow that through `name`.
    const handler = handlers[name] as Handler<RequestName>;
    const result = await handler(params as ParamsOf<RequestName>, {
      signal: stop.signal,
      progress: (progress) => post({ kind: 'progress', id, progress }, []),
      transfer: (...buffers) => transfer.push(...buffers),
    });
    open.delete(id);
    post({ kind: 'done', id, result }, transfer);
  };
  const fail = (job: Pick<Job, 'id'>, err: unknown) => {
    open.delete(job.id);
    post({ kind: 'failed', id: job.id, error: serializeError(err) }, []);
  };
  const drop = (job: Job) => {
    open.delete(job.id);
    post({ kind: 'superseded', id: job.id }, []);
  };

  function laneFor(name: RequestName): LatestOnly<Job> | null {
    const laneOf = (REQUESTS[name] as { lane?: (params: unknown) => string }).lane;
    if (!laneOf) return null;
    let queue = lanes.get(name);
    if (!queue) {
      queue = new LatestOnly<Job>(answer, drop, fail, (job) => laneOf(job.params));
      lanes.set(name, queue);
    }
    return queue;
  }

  return {
    receive(message) {
      if (message.kind === 'ping') {
        post({ kind: 'pong' }, []);
        return;
      }
      if (message.kind === 'cancel') {
        open.get(message.id)?.abort();
        return;
      }
      const { id, name, params } = message;
      if (!Object.hasOwn(handlers, name)) {
        fail({ id }, new EngineError(`The engine worker has no request "${String(name)}": reload the page to get a matching worker.`, undefined, 'bad-request'));
        return;
      }
      const job: Job = { id, name, params, stop: new AbortController() };
      open.set(id, job.stop);
      const lane = laneFor(name);
      if (lane) lane.submit(job);
      else answer(job).catch((err: unknown) => fail(job, err));
    },
    dropWaiting() {
      for (const lane of lanes.values()) lane.clear();
    },
  };
}
