import { useEffect } from 'react';
import { ensureEngine } from '../state/session';

/** A view that computes live calls this: in an embed of precomputed panels the engine starts only now. */
export function useEngine(): void {
  useEffect(ensureEngine, []);
}
