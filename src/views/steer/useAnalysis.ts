import { useState } from 'react';
import { errorMessage } from '../../errors/engineError';

/**
 * The state of a latest-only worker analysis a panel runs on demand: its last result (kept, dimmed,
 * while the next computes), its error as a message, and whether one is running.
 */
export function useAnalysis<T>(): { result: T | null; error: string | null; running: boolean; run(work: Promise<T | null>): void } {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const run = (work: Promise<T | null>) => {
    setRunning(true);
    work.then(
      (r) => {
        // null: a newer request of the lane replaced this one, and its answer will come.
        if (r === null) return;
        setRunning(false);
        setError(null);
        setResult(r);
      },
      (err: unknown) => {
        setRunning(false);
        setError(errorMessage(err));
      },
    );
  };
  return { result, error, running, run };
}
