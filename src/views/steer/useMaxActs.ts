import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import { usePromise } from '../../hooks/usePromise';
import { useLoadStore } from '../../state/loadStore';

/**
 * Each feature's largest activation on the held-out corpus, from the dashboards' summaries of the
 * SAEs named (fetched once each); null for a feature of an SAE without dashboards, or until they load.
 */
export function useMaxActs(saeIds: readonly string[]): (saeId: string, feature: number) => number | null {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const key = [...new Set(saeIds)].sort().join('\n');
  const loaded = usePromise(async () => {
    const source = dashboardSourceFor(bundleUrl);
    const root = await source.root();
    const known = key.split('\n').filter((id) => root.saes.some((s) => s.id === id));
    const entries = await Promise.all(known.map(async (id) => [id, (await source.saeIndex(id)).features.maxAct] as const));
    return new Map<string, readonly number[]>(entries);
  }, [bundleUrl, key]);
  return (saeId, feature) => {
    const value = loaded.status === 'ready' ? loaded.value.get(saeId)?.[feature] : undefined;
    return value !== undefined && value !== 0 ? Math.abs(value) : null;
  };
}
