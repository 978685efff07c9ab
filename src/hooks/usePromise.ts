import { useEffect, useState } from 'react';

export type Async<T> =
  | { status: 'pending' }
  | { status: 'ready'; value: T }
  | { status: 'failed'; error: unknown };

/**
 * The state of a promise made from `deps`; a newer one replaces an older still in flight, whose
 * answer is then ignored. `make` returning null means "nothing to load yet".
 */
export function usePromise<T>(make: () => Promise<T> | null, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ deps: readonly unknown[]; value: Async<T> }>({ deps, value: { status: 'pending' } });
  useEffect(() => {
    let current = true;
    const promise = make();
    if (promise === null) return;
    promise.then(
      (value) => current && setState({ deps, value: { status: 'ready', value } }),
      (error: unknown) => current && setState({ deps, value: { status: 'failed', error } }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  // Until the effect for new deps has answered, report pending rather than the previous value.
  const same = state.deps.length === deps.length && state.deps.every((d, i) => Object.is(d, deps[i]));
  return same ? state.value : { status: 'pending' };
}
