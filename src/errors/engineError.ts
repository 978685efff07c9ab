/**
 * The one error the reader is told about, in the worker, on the page and in Node alike: its message
 * says what was wrong and what to do, `source` names the file or input it is about, and `code` is
 * what callers branch on — never the message's text, which is free to change.
 *
 * Framework-free and engine-free, so the page can throw and read these errors without pulling the
 * engine into its bundle.
 */

export type ErrorCode =
  /** a file, URL, SAE or feature that is not there (an HTTP 404, a missing file) */
  | 'not-found'
  /** a server answered with an error status other than 404 */
  | 'http'
  /** no answer at all: offline, refused, or blocked because the server does not allow CORS */
  | 'network'
  /** a file ended before its contents did (an interrupted download) */
  | 'truncated'
  /** the reader stopped it */
  | 'cancelled'
  /** there is no engine to ask: it was not started, or no bundle is loaded in it */
  | 'no-engine'
  /** the browser could not allocate the memory it needed */
  | 'out-of-memory'
  /** the worker was sent a request it does not know */
  | 'bad-request'
  /** the input cannot be used as given (a damaged file, an SAE that does not fit, a feature out of range) */
  | 'invalid'
  /** not an EngineError: a bug or a platform failure, passed on as it came */
  | 'internal';

/** An error meant for the reader: names the file and the problem, says what to do. */
export class EngineError extends Error {
  constructor(
    message: string,
    /** the file (or URL, or input box) the problem is in */
    readonly source?: string,
    readonly code: ErrorCode = 'invalid',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** What to branch on for any thrown value: an EngineError's code, else 'internal'. */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof EngineError ? err.code : 'internal';
}

/** The text of any thrown value, for showing it or for wrapping it in a message of one's own. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Throws the 'cancelled' EngineError once `signal` is aborted; `what` is the work that stops. */
export function throwIfCancelled(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new EngineError(`${what} was cancelled.`, undefined, 'cancelled');
}
