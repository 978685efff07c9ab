import { describe, expect, it } from 'vitest';
import { describeSource, keptSource } from './userSaes';

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
