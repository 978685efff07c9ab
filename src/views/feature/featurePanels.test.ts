import { describe, expect, it } from 'vitest';
import { FEATURE_PANELS, selectPanels, unknownPanels } from './featurePanels';
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
    expect(ids(selectPanels(bundledPage(), 'nonsense'))).toEqual(ids(selectPanels(bundledPage(), null)));
    expect(ids(selectPanels(weightsPage(), 'top,intervals'))).toEqual(['logits', 'neighbours', 'steer', 'test']);
  });

  it('each have their own id, which ?panels= names', () => {
    expect(new Set(ids(FEATURE_PANELS)).size).toBe(FEATURE_PANELS.length);
    expect(unknownPanels('top, bogus,,heads , nope')).toEqual(['bogus', 'nope']);
    expect(unknownPanels(null)).toEqual([]);
  });

  it('draw the heads panel on an attention SAE’s page that has head statistics', () => {
    const page = { ...bundledPage(), heads: { layer: 1, weight: new Float32Array(8).fill(0.125), corpus: null, examples: 0 } };
    expect(ids(selectPanels(page, null))).toContain('heads');
    expect(ids(selectPanels(page, 'heads'))).toEqual(['heads']);
  });
});
