import { describe, expect, it, vi } from 'vitest';
import { request } from './session';
import { describeSource, keptSource, useUserSaes } from './userSaes';
import { deleteSae } from './userSaesDb';

vi.mock('./userSaesDb', async (original) => ({ ...(await original()), canPersist: true, storedSaes: vi.fn(), saveSae: vi.fn(), deleteSae: vi.fn() }));
vi.mock('./session', () => ({ request: vi.fn(), reanalyze: vi.fn() }));

describe('what is kept of a reader’s SAE', () => {
  const blob = new Blob(['x']);

  it('keeps a URL’s files as downloaded, with the hook it was found to read, so it loads offline', () => {
    const downloaded = [{ path: 'my-sae/cfg.json', file: blob }];
    expect(keptSource({ kind: 'url', url: 'https://h/x/my-sae' }, { hookName: 'blocks.2.hook_resid_post', downloaded })).toEqual({
      kind: 'files',
      files: downloaded,
      hookName: 'blocks.2.hook_resid_post',
    });
    expect(() => keptSource({ kind: 'url', url: 'https://h/x' }, { hookName: 'h' })).toThrow(/kept no files/);
  });

  it('keeps dropped files as they are, with the hook', () => {
    const files = [{ path: 'params.npz', file: blob }];
    expect(keptSource({ kind: 'files', files }, { hookName: 'blocks.1.hook_resid_post' })).toEqual({ kind: 'files', files, hookName: 'blocks.1.hook_resid_post' });
  });

  it('lists where an SAE came from in a few words', () => {
    const files = ['a', 'b', 'c', 'd', 'e'].map((path) => ({ path, file: blob }));
    expect(describeSource({ kind: 'files', files })).toBe('a, b, c and 2 more');
    expect(describeSource({ kind: 'url', url: 'https://h/x' })).toBe('https://h/x');
  });
});

describe('removing a reader’s SAE', () => {
  it('keeps it, and says why, when this browser’s storage refuses to forget it (it would come back after a reload)', async () => {
    vi.mocked(deleteSae).mockRejectedValueOnce(new Error('The quota has been exceeded.'));
    useUserSaes.setState({ saes: [{ id: 'my-sae', origin: 'cfg.json' }], keptIds: ['my-sae'], error: null });
    await useUserSaes.getState().remove('my-sae');
    const { saes, keptIds, error } = useUserSaes.getState();
    expect(error?.title).toBe('Your SAE “my-sae” could not be removed from this browser’s storage, so it was kept');
    expect(error?.message).toBe('The quota has been exceeded.');
    expect(saes).toEqual([{ id: 'my-sae', origin: 'cfg.json' }]);
    expect(keptIds).toEqual(['my-sae']);
    expect(request).not.toHaveBeenCalled();
  });
});

describe('an SAE given while the model loads', () => {
  it('waits in the queue, listed, and is added once the model (and the kept SAEs) have loaded', async () => {
    const { startUserSaes } = await import('./userSaes');
    const { useLoadStore } = await import('./loadStore');
    const { storedSaes, saveSae } = await import('./userSaesDb');
    vi.mocked(storedSaes).mockResolvedValue([]);
    vi.mocked(saveSae).mockResolvedValue(undefined);
    const saes = [{ id: 'dropped', title: 'dropped', hookName: 'h', architecture: 'topk', dIn: 4, dSae: 8, layer: 0, kind: 'resid', source: 'user' }];
    vi.mocked(request).mockResolvedValue({ saeId: 'dropped', hookName: 'h', saes } as never);
    useLoadStore.setState({ status: 'loading' });
    useUserSaes.setState({ saes: [], loading: null, restoring: false, queued: [], error: null });
    startUserSaes();

    const files = [{ path: 'cfg.json', file: new Blob(['{}']) }];
    await useUserSaes.getState().add({ kind: 'files', files });
    expect(useUserSaes.getState().queued.map((q) => q.origin)).toEqual(['cfg.json']);
    expect(request).not.toHaveBeenCalled();

    useLoadStore.setState({ status: 'ready' });
    await vi.waitFor(() => expect(useUserSaes.getState().saes.map((s) => s.id)).toEqual(['dropped']));
    expect(useUserSaes.getState().queued).toEqual([]);
    expect(vi.mocked(request).mock.calls[0]?.[0]).toBe('addSae');
  });
});

describe('kept SAEs, by model', () => {
  it('come back on the model they were added to (and, kept before models had keys, on any), and a new one takes none of the others’ ids', async () => {
    vi.resetModules();
    const { startUserSaes, useUserSaes: fresh } = await import('./userSaes');
    const { useLoadStore } = await import('./loadStore');
    const db = await import('./userSaesDb');
    const session = await import('./session');
    const kept = (id: string, model?: string) => ({ id, source: { kind: 'url' as const, url: `https://h/${id}` }, addedAt: 0, ...(model ? { model } : {}) });
    vi.mocked(db.storedSaes).mockResolvedValue([kept('gpt2-sae', 'https://h/gpt2/'), kept('bundle-sae', 'https://h/bundle/'), kept('old-sae')]);
    vi.mocked(db.saveSae).mockResolvedValue(undefined);
    const loaded: string[] = [];
    vi.mocked(session.request).mockImplementation((async (_name: string, params: { saeId?: string; reserved?: string[] }) => {
      const saeId = params.saeId ?? 'new-sae';
      loaded.push(params.saeId ?? `new, reserved ${params.reserved?.join(',')}`);
      return { saeId, hookName: 'h', saes: [], downloaded: [] };
    }) as never);
    useLoadStore.setState({ status: 'loading', bundleUrl: 'https://h/gpt2/?processing=none' });
    startUserSaes();
    useLoadStore.setState({ status: 'ready' });
    await vi.waitFor(() => expect(fresh.getState().restoring).toBe(false));
    expect(loaded).toEqual(['gpt2-sae', 'old-sae']);
    expect(fresh.getState()).toMatchObject({ keptIds: ['gpt2-sae', 'old-sae'], keptElsewhere: ['bundle-sae'] });

    await fresh.getState().add({ kind: 'url', url: 'https://h/new-sae' });
    expect(loaded.at(-1)).toBe('new, reserved bundle-sae');
    expect(vi.mocked(db.saveSae).mock.calls.at(-1)?.[0]).toMatchObject({ id: 'new-sae', model: 'https://h/gpt2/' });
  });
});
