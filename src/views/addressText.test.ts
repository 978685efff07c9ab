import { describe, expect, it } from 'vitest';
import { LINK_TEXT_LIMIT, MAX_TEXT_CHARS, readTextParam, textParams } from './addressText';
import { withQuery } from './viewQuery';
import { splitHash } from './matchRoute';

/** English-like prose that does not repeat itself (a repeated sentence would deflate to nothing). */
function prose(words: number, seed = 1): string {
  const vocab = 'the a whale sea ship captain Ishmael harpoon deck ocean white long ago money purse sail watery world and of to in'.split(' ');
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocab[x % vocab.length]! + (x % 7 === 0 ? `${x % 1000}` : ''));
  }
  return out.join(' ');
}

async function roundTrip(text: string): Promise<{ hash: string; back: string | null }> {
  const params = await textParams(text);
  if (!params.fits) throw new Error('does not fit');
  const hash = withQuery('#/?sae=L2-resid-topk', params.params);
  const read = await readTextParam(splitHash(hash).query);
  if (!read.ok) throw new Error(read.problem);
  return { hash, back: read.text };
}

describe('a text in an address', () => {
  it('keeps a short text readable', async () => {
    const { hash, back } = await roundTrip('Call me Ishmael.');
    expect(hash).toBe('#/?sae=L2-resid-topk&text=Call+me+Ishmael.');
    expect(back).toBe('Call me Ishmael.');
  });

  it('compresses a long one, and reads it back exactly, whatever its characters', async () => {
    const text = `${prose(1500)}\n\tünïcödé — “quotes” & emoji 🐋 #?=+%`;
    const { hash, back } = await roundTrip(text);
    expect(hash).toMatch(/&textz=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(encodeURIComponent(text).length * 0.8);
    expect(back).toBe(text);
  });

  it('says how long a text over the limit would be, instead of writing it', async () => {
    const params = await textParams(prose(12_000, 7));
    expect(params.fits).toBe(false);
    if (!params.fits) expect(params.chars).toBeGreaterThan(LINK_TEXT_LIMIT);
  });

  it('holds no text when the address names none', async () => {
    expect(await readTextParam(new URLSearchParams('sae=x'))).toEqual({ ok: true, text: null });
  });

  it('says what is wrong with a damaged compressed text', async () => {
    const bad = await readTextParam(new URLSearchParams('textz=not*base64'));
    expect(bad).toMatchObject({ ok: false, problem: expect.stringContaining('base64url') as string });
    const garbage = await readTextParam(new URLSearchParams('textz=AAAAAAAAAAAA'));
    expect(garbage.ok).toBe(false);
  });

  it('refuses a compressed text that would unpack past the limit', async () => {
    const stream = new Blob([new Uint8Array(MAX_TEXT_CHARS + 10).fill(97)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const packed = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const read = await readTextParam(new URLSearchParams({ textz: packed }));
    expect(read).toMatchObject({ ok: false, problem: expect.stringContaining('more than 1,000,000 characters') as string });
  });
});
