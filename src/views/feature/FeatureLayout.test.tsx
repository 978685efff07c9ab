import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FeaturePage } from './FeatureLayout';
import type { FeaturePageData } from './featurePageData';
import { bundledPage, weightsPage } from './mocks/featurePages';

function render(data: FeaturePageData, query = ''): string {
  return renderToStaticMarkup(<FeaturePage state={{ status: 'ready', data }} saeId={data.sae.id} query={new URLSearchParams(query)} />);
}

const panelsIn = (html: string) => [...html.matchAll(/data-panel="([a-z]+)"/g)].map((m) => m[1]);

describe('a feature page', () => {
  it('of a bundled SAE shows its header, label and statistics, and every panel', () => {
    const html = render(bundledPage());
    expect(html).toContain('Feature 0');
    expect(html).toContain('“ Moses”');
    expect(html).toContain('provisional label from its top tokens');
    expect(html).toContain('data-testid="stat-density"');
    expect(html).toContain('href="#/features/L1-test"');
    expect(html).toContain('Import explanations');
    expect(html).not.toContain('data-live');
    expect(panelsIn(html)).toEqual(['activations', 'logits', 'neighbours', 'steer', 'correlated', 'test', 'top', 'intervals']);
  });

  it('marks dead features among its neighbours once a corpus pass says which are', () => {
    expect(render(bundledPage())).toContain('feature-links__item--dead');
    expect(render(weightsPage())).not.toContain('feature-links__item--dead');
  });

  it('of a signed SAE shows its strongest activation with its sign', () => {
    expect(render(bundledPage({ signed: true }))).toMatch(/data-testid="stat-max"><dt>Max activation<\/dt><dd>-3.00</);
  });

  it('of the reader’s own SAE before its corpus pass shows what its weights say and offers to compute the rest', () => {
    const html = render(weightsPage());
    expect(html).toContain('data-live="true"');
    expect(html).not.toContain('data-corpus-seqs');
    expect(html).toContain('your SAE · live');
    expect(html).toContain('Computed live in your browser from this SAE’s weights.');
    // Rendered on the server the stores hold their first state, with no corpus read yet: only the choice of one is offered.
    expect(html).toContain('data-testid="corpus-choice"');
    expect(html).toContain('No held-out corpus yet.');
    expect(html).not.toContain('data-testid="corpus-compute"');
    expect(html).toContain('my-sae/cfg.json');
    expect(html).not.toContain('data-testid="stat-density"');
    expect(html).not.toContain('data-testid="feature-label"');
    expect(panelsIn(html)).toEqual(['logits', 'neighbours', 'steer', 'test']);
    // "Test your text" starts from the prompt.
    expect(html).toContain('Call me Ishmael.');
  });

  it('in an embed drops the header, and draws only the panels ?panels= names', () => {
    const html = render(bundledPage(), 'embed=true&panels=logits,top');
    expect(html).not.toContain('data-testid="feature-header"');
    expect(html).toContain('feature-view--embed');
    expect(panelsIn(html)).toEqual(['logits', 'top']);
  });

  it('says what failed, and offers to load again where that can help', () => {
    const retry = () => {};
    const html = renderToStaticMarkup(
      <FeaturePage state={{ status: 'failed', error: { title: 'Feature 9 of L1-test cannot be shown', message: 'shard-0000.bin is damaged' }, retry }} saeId="L1-test" query={new URLSearchParams()} />,
    );
    expect(html).toContain('shard-0000.bin is damaged');
    expect(html).toContain('Load again');
    expect(html).toContain('href="#/features/L1-test"');
  });
});
