import { describe, expect, it } from 'vitest';
import { featureScale, hasParts, peakActivation } from './featurePageData';
import { bundledPage, weightsPage } from './mocks/featurePages';

describe('feature page data', () => {
  it('of the reader’s own SAE before its corpus pass holds what the weights say, and no corpus part', () => {
    const page = weightsPage();
    expect(page.corpus).toBeUndefined();
    expect(hasParts(page, ['corpus'])).toBe(false);
    expect(page.logits.positive).toEqual([{ id: 5, value: 0.8 }]);
    expect(page.vocab[5]).toBe(' Moses');
    expect(page.labels).toEqual([]);
    expect(featureScale(page)).toBe(0);
  });

  it('of precomputed dashboards has every part', () => {
    const page = bundledPage();
    expect(hasParts(page, ['corpus'])).toBe(true);
    expect(page.corpus?.coverage.nTokens).toBe(10);
    expect(page.labels?.[0]?.text).toBe('“ Moses”');
  });

  it('call an SAE signed as its dashboards do, or before any, by whether its architecture’s codes can be negative', () => {
    expect(bundledPage({ signed: true }).sae.signed).toBe(true);
    expect(weightsPage('abstopk').sae.signed).toBe(true);
    expect(weightsPage('matching_pursuit').sae.signed).toBe(true);
    expect(weightsPage('jumprelu').sae.signed).toBe(false);
  });

  it('scale colours by the largest |activation|, and show a signed feature’s peak with its sign', () => {
    expect(featureScale(bundledPage({ signed: true }))).toBe(3);
    expect(peakActivation({ maxAct: 1, minAct: -3 }, true)).toBe(-3);
    expect(peakActivation({ maxAct: 1, minAct: -3 }, false)).toBe(1);
  });
});
