import { describe, expect, it } from 'vitest';
import { readSelection, selectionParam, SELECTION_LINK_CHARS } from './latentSelection';

describe('a map’s boxed latents in its address', () => {
  it('writes runs as ranges and reads back the same latents', () => {
    const param = selectionParam([12, 7, 8, 9, 3, 8]);
    expect(param).toBe('3,7-9,12');
    expect(readSelection(param, 2048)).toEqual([3, 7, 8, 9, 12]);
  });

  it('leaves out what is not a latent of this map', () => {
    expect(readSelection('5,x,2040-4000,-3', 2048)).toEqual([5, 2040, 2041, 2042, 2043, 2044, 2045, 2046, 2047]);
    expect(readSelection(null, 10)).toEqual([]);
  });

  it('keeps a selection too large for a link out of it', () => {
    const scattered = Array.from({ length: 1000 }, (_, i) => i * 3);
    expect(selectionParam(scattered)).toBeNull();
    expect(selectionParam(scattered.slice(0, 100))!.length).toBeLessThanOrEqual(SELECTION_LINK_CHARS);
  });
});
