import { describe, expect, it } from 'vitest';
import { FEATURE_PANELS, selectPanels } from './featurePanels';

describe('feature page panels', () => {
  it('draw every panel by default, and only the named ones when asked, in page order', () => {
    expect(selectPanels(null).map((p) => p.id)).toEqual(['activations', 'logits', 'neighbours', 'correlated', 'test', 'top', 'intervals']);
    expect(selectPanels('top, logits').map((p) => p.id)).toEqual(['logits', 'top']);
  });

  it('fall back to all panels when none of the names is known', () => {
    expect(selectPanels('nonsense')).toBe(FEATURE_PANELS);
  });
});
