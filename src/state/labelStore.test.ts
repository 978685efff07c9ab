import { describe, expect, it, vi } from 'vitest';
import { requestLabels, startLabels, useLabelStore } from './labelStore';

describe('the label store', () => {
  it('asks its source for an SAE’s labels once the app has started, once per SAE', async () => {
    const layers = { heuristic: ['“ Moses”', '“ said”'], bundle: null };
    const source = vi.fn(async (saeId: string) => (saeId === 'mine' ? null : layers));
    requestLabels('L1');
    expect(useLabelStore.getState().bySae).toEqual({});

    startLabels(source);
    requestLabels('L1');
    requestLabels('mine');
    await vi.waitFor(() => expect(useLabelStore.getState().bySae.L1).toBe(layers));
    expect(source.mock.calls).toEqual([['L1'], ['mine']]);
    // An SAE without dashboards has no labels to keep.
    expect(useLabelStore.getState().bySae.mine).toBeUndefined();
  });

  it('keeps working without labels a source could not load', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    startLabels(async () => {
      throw new Error('dashboards/index.json: HTTP 404');
    });
    requestLabels('broken');
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('Feature labels for SAE broken could not be loaded:', expect.any(Error)));
    expect(useLabelStore.getState().bySae.broken).toBeUndefined();
    warn.mockRestore();
  });
});
