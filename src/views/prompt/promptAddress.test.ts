import { describe, expect, it } from 'vitest';
import { splitHash } from '../matchRoute';
import { withQuery } from '../viewQuery';
import { promptChoiceParams, readPromptChoices, sameChoices } from './promptAddress';

describe('the prompt view’s choices in its address', () => {
  it('reads back the SAE, the selected token and the colouring feature it wrote', () => {
    const state = { saeId: 'user:my:sae', selectedToken: 7, colorFeature: 1654 };
    const { query } = splitHash(withQuery('#/', promptChoiceParams(state)));
    expect(readPromptChoices(query)).toEqual(state);
  });

  it('leaves out what is not chosen, and chooses nothing from a bad value', () => {
    expect(withQuery('#/?token=3&color=4', promptChoiceParams({ saeId: 'L0', selectedToken: null, colorFeature: null }))).toBe('#/?sae=L0');
    expect(readPromptChoices(new URLSearchParams('token=-2&color=x'))).toEqual({ selectedToken: null, colorFeature: null });
  });

  it('reads and writes only the choices a view holds', () => {
    expect(readPromptChoices(new URLSearchParams('sae=L0&token=3'), [])).toEqual({});
    expect(promptChoiceParams({ saeId: 'L0', selectedToken: 2, colorFeature: null }, ['sae'])).toEqual({ sae: 'L0' });
    expect(sameChoices({ saeId: 'a', selectedToken: 1, colorFeature: null }, { saeId: 'a', selectedToken: 2, colorFeature: null }, ['sae'])).toBe(true);
    expect(sameChoices({ saeId: 'a', selectedToken: 1, colorFeature: null }, { saeId: 'a', selectedToken: 2, colorFeature: null })).toBe(false);
  });
});
