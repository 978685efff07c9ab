/** An error as the reader sees it: what failed, in which file or input, and what went wrong. */
export interface AppError {
  /** what the app was doing, e.g. "Could not load the model bundle" */
  title: string;
  message: string;
  /** the file (or URL, or input) the problem is in */
  source?: string;
}

export function toAppError(title: string, err: unknown): AppError {
  if (err instanceof Error) {
    const source = (err as { source?: unknown }).source;
    return { title, message: err.message, ...(typeof source === 'string' ? { source } : {}) };
  }
  return { title, message: String(err) };
}
