import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FeatureList } from './FeatureList';

describe('FeatureList', () => {
  it('links each feature to its page with its label and value, dead ones marked', () => {
    const html = renderToStaticMarkup(
      <FeatureList
        items={[
          { index: 12, value: 0.71, label: '“ Lord”' },
          { index: 40, value: 0.2, dead: true },
        ]}
        href={(i) => `#/feature/x/${i}`}
        valueName="cosine similarity"
        empty="none"
      />,
    );
    expect(html).toContain('href="#/feature/x/12"');
    expect(html).toContain('#12');
    expect(html).toContain('“ Lord”');
    expect(html).toContain('0.71');
    expect(html).toContain('feature-links__item--dead');
    expect(html).toContain('width:71%');
  });

  it('says so when there is nothing to list', () => {
    expect(renderToStaticMarkup(<FeatureList items={[]} href={() => ''} valueName="r" empty="No feature fires with this one." />)).toContain(
      'No feature fires with this one.',
    );
  });
});
