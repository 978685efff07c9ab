import { describe, expect, it } from 'vitest';
import { FEATURE_PANELS, selectPanels } from './featurePanels';
import { bundledPage, weightsPage } from './mocks/featurePages';

const ids = (panels: readonly { id: string }[]) => panels.map((p) => p.id);

describe('feature page panels', () => {
  it('draw every panel of a page with corpus statistics, and only the named ones when asked, in page order', () => {
    expect(ids(selectPanels(bundledPage(), null))).toEqual(['activations', 'logits', 'neighbours', 'steer', 'correlated', 'test', 'top', 'intervals']);
    expect(ids(selectPanels(bundledPage(), 'top, logits'))).toEqual(['logits', 'top']);
  });

  it('leave out the panels that need a corpus pass on a page that has none (the reader’s own SAE, before computing them)', () => {
    expect(ids(selectPanels(weightsPage(), null))).toEqual(['logits', 'neighbours', 'steer', 'test']);
    expect(ids(selectPanels(weightsPage(), 'top,test'))).toEqual(['test']);
  });

  it('fall back to every panel the page can draw when none of the names is one of them', () => {
    expect(ids(selectPanels(bundledPage(), 'nonsense'))).toEqual(ids(FEATURE_PANELS));
    expect(ids(selectPanels(weightsPage(), 'top,intervals'))).toEqual(['logits', 'neighbours', 'steer', 'test']);
  });

  it('each have their own id, which ?panels= names', () => {
    expect(new Set(ids(FEATURE_PANELS)).size).toBe(FEATURE_PANELS.length);
  });
});
