/** An error as the reader sees it: what failed, in which file or input, and what went wrong. */
import { EngineError, errorMessage } from '../errors/engineError';

export interface AppError {
  /** what the app was doing, e.g. "Could not load the model bundle" */
  title: string;
  message: string;
  /** the file (or URL, or input) the problem is in */
  source?: string;
}

export function toAppError(title: string, err: unknown): AppError {
  const source = err instanceof EngineError ? err.source : undefined;
  return { title, message: errorMessage(err), ...(source !== undefined ? { source } : {}) };
}
