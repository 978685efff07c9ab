import { describe, expect, it, vi } from 'vitest';
import type { DashboardExampleGroup } from '../../dashboardData/featureDashboard';
import { useMoreExamplesStore } from './moreExamples';

const groups: DashboardExampleGroup[] = [{ kind: 'top', lo: 0, hi: 1, count: 60, examples: [] }];

describe('the more examples of a page', () => {
  it('are fetched once per page, shared by every panel that asks', async () => {
    const loader = vi.fn(async () => groups);
    const { load } = useMoreExamplesStore.getState();
    load('sae\n1\n1686', loader);
    load('sae\n1\n1686', loader);
    await vi.waitFor(() => expect(useMoreExamplesStore.getState().byPage['sae\n1\n1686']).toEqual({ status: 'ready', value: groups }));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('say why when the fetch failed, and fetch again when asked again', async () => {
    const loader = vi.fn<() => Promise<DashboardExampleGroup[] | null>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(null);
    const { load } = useMoreExamplesStore.getState();
    load('sae\n2\n64', loader);
    await vi.waitFor(() => expect(useMoreExamplesStore.getState().byPage['sae\n2\n64']?.status).toBe('failed'));
    load('sae\n2\n64', loader);
    await vi.waitFor(() => expect(useMoreExamplesStore.getState().byPage['sae\n2\n64']).toEqual({ status: 'ready', value: null }));
    expect(loader).toHaveBeenCalledTimes(2);
  });
});
