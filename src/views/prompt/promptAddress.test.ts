import { describe, expect, it } from 'vitest';
import { splitHash } from '../matchRoute';
import { withQuery } from '../viewQuery';
import { promptChoiceParams, readPromptChoices, sameChoices } from './promptAddress';

describe('the prompt view’s choices in its address', () => {
  it('reads back the SAE, the selected token and the colouring feature it wrote', () => {
    const state = { saeId: 'user:my:sae', selectedToken: 7, colorFeature: 1654, attributedFeature: 12 };
    const { query } = splitHash(withQuery('#/', promptChoiceParams(state)));
    expect(readPromptChoices(query)).toEqual(state);
  });

  it('leaves out what is not chosen, and chooses nothing from a bad value', () => {
    expect(withQuery('#/?token=3&color=4&attr=5', promptChoiceParams({ saeId: 'L0', selectedToken: null, colorFeature: null, attributedFeature: null }))).toBe('#/?sae=L0');
    expect(readPromptChoices(new URLSearchParams('token=-2&color=x'))).toEqual({ selectedToken: null, colorFeature: null, attributedFeature: null });
  });

  it('reads and writes only the choices a view holds', () => {
    expect(readPromptChoices(new URLSearchParams('sae=L0&token=3'), [])).toEqual({});
    const a = { saeId: 'a', selectedToken: 1, colorFeature: null, attributedFeature: null };
    expect(promptChoiceParams(a, ['sae'])).toEqual({ sae: 'a' });
    expect(sameChoices(a, { ...a, selectedToken: 2 }, ['sae'])).toBe(true);
    expect(sameChoices(a, { ...a, selectedToken: 2 })).toBe(false);
  });
});
