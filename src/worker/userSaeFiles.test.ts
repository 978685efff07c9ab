import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors/engineError';
import { explainFetchFailure, saeFolderUrl, userSaeFiles } from './userSaeFiles';

describe('saeFolderUrl', () => {
  it('turns Hugging Face page links into the raw folder', () => {
    expect(saeFolderUrl('https://huggingface.co/google/gemma-scope-2b-pt-res/tree/main/layer_6/width_16k/average_l0_70')).toBe(
      'https://huggingface.co/google/gemma-scope-2b-pt-res/resolve/main/layer_6/width_16k/average_l0_70',
    );
    expect(saeFolderUrl(' https://huggingface.co/org/repo/blob/main/layers.6/cfg.json?download=true ')).toBe(
      'https://huggingface.co/org/repo/resolve/main/layers.6',
    );
  });

  it('takes the folder of a link to one SAE file', () => {
    expect(saeFolderUrl('https://huggingface.co/org/repo/resolve/main/L2/sae_weights.safetensors')).toBe('https://huggingface.co/org/repo/resolve/main/L2');
    expect(saeFolderUrl('http://127.0.0.1:8000/saes/x/params.npz')).toBe('http://127.0.0.1:8000/saes/x');
    expect(saeFolderUrl('http://127.0.0.1:8000/saes/x/')).toBe('http://127.0.0.1:8000/saes/x');
  });

  it('refuses what is not a web link, naming it', () => {
    expect(() => saeFolderUrl('layers.6/cfg.json')).toThrow(/"layers.6\/cfg.json" is not a URL/);
    expect(() => saeFolderUrl('file:///tmp/sae')).toThrow(EngineError);
  });
});

describe('userSaeFiles', () => {
  const blob = new Blob(['{}']);

  it('labels dropped files by their folder, which names the hook', () => {
    const { files, folder } = userSaeFiles({ kind: 'files', files: [{ path: 'run/layers.3/cfg.json', file: blob }, { path: 'run/layers.3/sae.safetensors', file: blob }] });
    expect(files.label).toBe('run/layers.3');
    expect(folder).toBe('layers.3');
    expect(files.has('sae.safetensors')).toBe(true);
    expect(files.has('params.npz')).toBe(false);
  });

  it('has no folder for loose files, and the last part of a link’s path for a URL', () => {
    expect(userSaeFiles({ kind: 'files', files: [{ path: 'params.npz', file: blob }] }).folder).toBeNull();
    expect(userSaeFiles({ kind: 'url', url: 'https://huggingface.co/org/repo/resolve/main/layer_6/my%20sae/cfg.json' }).folder).toBe('my sae');
  });

  it('refuses two SAEs dropped at once', () => {
    expect(() =>
      userSaeFiles({ kind: 'files', files: [{ path: 'a/cfg.json', file: blob }, { path: 'b/cfg.json', file: blob }] }),
    ).toThrow(/both named cfg.json \(a\/cfg.json, b\/cfg.json\)/);
  });

  it('refuses an empty drop', () => {
    expect(() => userSaeFiles({ kind: 'files', files: [] })).toThrow(/No files were dropped/);
  });
});

describe('explainFetchFailure', () => {
  it('tells the reader that a download with no answer may be a server without CORS', () => {
    const explained = explainFetchFailure(new EngineError('Could not fetch cfg.json: TypeError: Failed to fetch.', 'cfg.json', 'network'));
    expect(explained).toMatchObject({ code: 'network', source: 'cfg.json', message: expect.stringMatching(/^Could not download cfg.json: .*CORS/) });
  });

  it('leaves every other failure as it was', () => {
    const notFound = new EngineError('Could not fetch cfg.json: HTTP 404 Not Found.', 'cfg.json', 'not-found');
    expect(explainFetchFailure(notFound)).toBe(notFound);
  });
});
