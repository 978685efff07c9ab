import { describe, expect, it } from 'vitest';
import { originAllowed, parseEmbedOptions, parseOrigins, withEmbedParams, withoutEmbed } from './embedOptions';

describe('embed options', () => {
  it('reads the documented parameters, with defaults for what is missing or unknown', () => {
    const o = parseEmbedOptions(new URLSearchParams('embed=true&theme=dark&density=compact&text=Hi%20there&origins=https://blog.example'));
    expect(o).toEqual({ embed: true, theme: 'dark', density: 'compact', text: 'Hi there', origins: ['https://blog.example'] });
    expect(parseEmbedOptions(new URLSearchParams('embed=1&theme=neon&density=tiny'))).toEqual({
      embed: false,
      theme: null,
      density: 'comfortable',
      text: null,
      origins: [],
    });
  });

  it('keeps only http(s) origins, normalised', () => {
    expect(parseOrigins('https://Blog.Example/post, http://localhost:8080 ,javascript:alert(1),nonsense,*')).toEqual([
      'https://blog.example',
      'http://localhost:8080',
      '*',
    ]);
    expect(originAllowed('https://blog.example', ['https://blog.example'])).toBe(true);
    expect(originAllowed('https://evil.example', ['https://blog.example'])).toBe(false);
    expect(originAllowed('https://evil.example', ['*'])).toBe(true);
    expect(originAllowed('null', [])).toBe(false);
  });

  it('rewrites a view address with or without its embed parameters, keeping the view’s own', () => {
    expect(withoutEmbed('#/feature/L2-resid-topk/5?embed=true&panels=top&theme=dark')).toBe('#/feature/L2-resid-topk/5?panels=top');
    expect(withoutEmbed('#/?embed=true')).toBe('#/');
    // the text is the view's own state in the app
    expect(withoutEmbed('#/?embed=true&sae=L0&text=Hi+there&origins=*')).toBe('#/?sae=L0&text=Hi+there');
    expect(withEmbedParams('#/heads', { embed: 'true', theme: '', text: 'a b' })).toBe('#/heads?embed=true&text=a+b');
  });
});
