import { describe, expect, it } from 'vitest';
import { DEFAULT_CHOICES, embedSnippet, embedUrl } from './embedCode';
import { parseEmbedOptions } from './embedOptions';
import { splitHash } from '../views/matchRoute';

describe('embed code', () => {
  it('keeps the view and its own query, and adds the chosen parameters', () => {
    const url = embedUrl('https://x.example/app/index.html#/old', '#/feature/L2-resid-topk/7?sae=a', {
      ...DEFAULT_CHOICES,
      theme: 'dark',
      density: 'compact',
      text: 'The cat & the hat',
      origins: ' https://blog.example ',
      panels: ['logits', 'top'],
    });
    const hash = new URL(url).hash;
    const { path, query } = splitHash(hash);
    expect(url.startsWith('https://x.example/app/index.html#/feature/L2-resid-topk/7?')).toBe(true);
    expect(path).toBe('/feature/L2-resid-topk/7');
    expect(query.get('sae')).toBe('a');
    expect(query.get('panels')).toBe('logits,top');
    expect(parseEmbedOptions(query)).toEqual({ embed: true, theme: 'dark', density: 'compact', text: 'The cat & the hat', origins: ['https://blog.example'] });
  });

  it('keeps the view’s own text unless another is chosen', () => {
    expect(embedUrl('https://x.example/', '#/?sae=L0&text=Call+me', DEFAULT_CHOICES)).toBe('https://x.example/#/?sae=L0&embed=true&text=Call+me');
    expect(embedUrl('https://x.example/', '#/?sae=L0&textz=abc', DEFAULT_CHOICES)).toBe('https://x.example/#/?sae=L0&textz=abc&embed=true');
    expect(embedUrl('https://x.example/', '#/?sae=L0&textz=abc', { ...DEFAULT_CHOICES, text: 'Mine' })).toBe('https://x.example/#/?sae=L0&embed=true&text=Mine');
  });

  it('leaves out what was not chosen', () => {
    expect(embedUrl('https://x.example/', '#/heads?embed=true&theme=dark', DEFAULT_CHOICES)).toBe('https://x.example/#/heads?embed=true');
  });

  it('writes an iframe whose attributes cannot be broken out of, and the host script', () => {
    const html = embedSnippet('https://x.example/#/?embed=true&text=%22%3E', 'https://x.example/embed.js', 'Feature "7"', 400.4);
    expect(html).toBe(
      '<iframe src="https://x.example/#/?embed=true&amp;text=%22%3E" title="Feature &quot;7&quot;" width="100%" height="400" style="border:0" loading="lazy" data-sae-explorer></iframe>\n' +
        '<script src="https://x.example/embed.js" async></script>',
    );
  });
});
