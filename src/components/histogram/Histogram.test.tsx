import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Histogram } from './Histogram';

describe('Histogram', () => {
  it('draws a bar per non-empty bin, coloured by its value, with an axis and the total', () => {
    const html = renderToStaticMarkup(
      <Histogram counts={[3, 0, 1200, 5]} lo={0} hi={4} unit="tokens" xLabel="activation" label="Activations" color={(v) => `rgb(${Math.round(v * 10)},0,0)`} />,
    );
    expect(html.match(/class="histogram__bar"/g)).toHaveLength(3);
    expect(html).toContain('fill="rgb(5,0,0)"');
    expect(html).toContain('fill="rgb(25,0,0)"');
    expect(html).toContain('>activation</text>');
    expect(html).toContain('1,208 tokens');
    expect(html).toContain('aria-label="Activations: 1208 tokens in 4 bins"');
  });
});
