import { describe, expect, it } from 'vitest';
import { addressWithBackend, parseAppOptions, saeUrlsFromAddress } from './appOptions';

const page = 'https://example.org/demo/sae/index.html';

describe('parseAppOptions', () => {
  it('loads the bundle shipped beside the page, whatever sub-path serves it', () => {
    expect(parseAppOptions('', page, 'models/explorer-4l/')).toEqual({
      bundleUrl: 'https://example.org/demo/sae/models/explorer-4l/',
      backend: 'auto',
      encoder: 'auto',
      fallbackCorpus: 'https://example.org/demo/sae/models/explorer-4l/',
      keptModel: null,
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

  it('takes the encoder path, auto unless a known one is asked for', () => {
    expect(parseAppOptions('?encoder=dense', page, 'x/').encoder).toBe('dense');
    expect(parseAppOptions('', page, 'x/', '#/?encoder=screened').encoder).toBe('screened');
    expect(parseAppOptions('?encoder=fast', page, 'x/').encoder).toBe('auto');
  });

  it('reads the options put after the route too, the address’s query winning', () => {
    expect(parseAppOptions('', page, 'x/', '#/feature/a/1?backend=wasm').backend).toBe('wasm');
    expect(parseAppOptions('?backend=webgpu', page, 'x/', '#/?backend=wasm').backend).toBe('webgpu');
    expect(parseAppOptions('', page, 'x/', '#/?bundle=other&panels=top').bundleUrl).toBe('https://example.org/demo/sae/other/');
  });

  it('takes ?model= as a Hugging Face repo id or a folder URL, with its processing in the folder’s query', () => {
    expect(parseAppOptions('?model=openai-community/gpt2', page, 'x/').bundleUrl).toBe('https://huggingface.co/openai-community/gpt2/resolve/main/');
    expect(parseAppOptions('?model=https://cdn.test/gpt2/config.json&processing=none', page, 'x/').bundleUrl).toBe('https://cdn.test/gpt2/?processing=none');
    expect(parseAppOptions('?model=./models/explorer-4l/hf', page, 'x/').bundleUrl).toBe('https://example.org/demo/sae/models/explorer-4l/hf/');
    expect(parseAppOptions('?bundle=other&model=gpt2/small', page, 'x/').bundleUrl).toBe('https://huggingface.co/gpt2/small/resolve/main/');
  });

  it('takes ?model=local:<name> as a model this browser keeps, named by a folder beside the page', () => {
    const kept = parseAppOptions('?model=local:my-gpt2&processing=none', page, 'x/');
    expect(kept.keptModel).toBe('my-gpt2');
    expect(kept.bundleUrl).toBe('https://example.org/demo/sae/local-models/my-gpt2/?processing=none');
  });
});

describe('addressWithBackend', () => {
  it('switches the backend where the address asked for it, keeping the route and the rest', () => {
    expect(addressWithBackend('http://h/app/?backend=webgpu&bundle=x/#/feature/a/1', 'wasm')).toBe('http://h/app/?backend=wasm&bundle=x/#/feature/a/1');
    expect(addressWithBackend('http://h/#/features/a?backend=webgpu&q=the', 'wasm')).toBe('http://h/#/features/a?backend=wasm&q=the');
  });

  it('puts the choice in the address’s query when the address named none, and the result parses back', () => {
    const href = addressWithBackend('http://h/#/', 'wasm');
    expect(href).toBe('http://h/?backend=wasm#/');
    const url = new URL(href);
    expect(parseAppOptions(url.search, href, 'm/', url.hash).backend).toBe('wasm');
  });

  it('lists the SAE folders ?sae_url= names, in the query or the hash’s, once each', () => {
    const hf = 'https://huggingface.co/jbloom/GPT2-Small-SAEs-Reformatted/resolve/main/blocks.8.hook_resid_pre';
    expect(saeUrlsFromAddress(`?model=openai-community/gpt2&sae_url=${encodeURIComponent(hf)}`, `#/?sae_url=${encodeURIComponent(hf)}&sae=x`)).toEqual([hf]);
    expect(saeUrlsFromAddress('', '#/feature/L2-resid-topk/3')).toEqual([]);
  });
});
