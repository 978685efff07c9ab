import { describe, expect, it } from 'vitest';
import { parseAppOptions } from './appOptions';

const page = 'https://example.org/demo/sae/index.html';

describe('parseAppOptions', () => {
  it('loads the bundle shipped beside the page, whatever sub-path serves it', () => {
    expect(parseAppOptions('', page, 'models/explorer-4l/')).toEqual({
      bundleUrl: 'https://example.org/demo/sae/models/explorer-4l/',
      backend: 'auto',
    });
  });

  it('takes ?bundle= as a folder or a manifest URL, relative or absolute', () => {
    expect(parseAppOptions('?bundle=other', page, 'x/').bundleUrl).toBe('https://example.org/demo/sae/other/');
    expect(parseAppOptions('?bundle=https://cdn.test/b/manifest.json', page, 'x/').bundleUrl).toBe(
      'https://cdn.test/b/',
    );
  });

  it('accepts only known backends', () => {
    expect(parseAppOptions('?backend=wasm', page, 'x/').backend).toBe('wasm');
    expect(parseAppOptions('?backend=webgpu', page, 'x/').backend).toBe('webgpu');
    expect(parseAppOptions('?backend=cuda', page, 'x/').backend).toBe('auto');
  });

  it('reads the options put after the route too, the address’s query winning', () => {
    expect(parseAppOptions('', page, 'x/', '#/feature/a/1?backend=wasm').backend).toBe('wasm');
    expect(parseAppOptions('?backend=webgpu', page, 'x/', '#/?backend=wasm').backend).toBe('webgpu');
    expect(parseAppOptions('', page, 'x/', '#/?bundle=other&panels=top').bundleUrl).toBe('https://example.org/demo/sae/other/');
  });
});
