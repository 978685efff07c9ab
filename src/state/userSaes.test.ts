import { describe, expect, it, vi } from 'vitest';
import { request } from './session';
import { describeSource, keptSource, useUserSaes } from './userSaes';
import { deleteSae } from './userSaesDb';

vi.mock('./userSaesDb', () => ({ canPersist: true, storedSaes: vi.fn(), saveSae: vi.fn(), deleteSae: vi.fn() }));
vi.mock('./session', () => ({ request: vi.fn() }));

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
