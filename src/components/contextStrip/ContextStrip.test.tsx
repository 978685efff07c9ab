import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ContextStrip } from './ContextStrip';

describe('ContextStrip', () => {
  it('puts the peak token in its own column between the text before and after it', () => {
    const html = renderToStaticMarkup(
      <ContextStrip tokens={['In', ' the', ' beginning', '\n', ' God']} values={[0, 0.5, 4, 0, 0]} peak={2} scaleMax={4} lead="4.00" source="seq 3:17" />,
    );
    const before = html.slice(html.indexOf('ctx__before'), html.indexOf('ctx__peak'));
    const peak = html.slice(html.indexOf('ctx__peak'), html.indexOf('ctx__after'));
    const after = html.slice(html.indexOf('ctx__after'), html.indexOf('ctx__source'));
    expect(before).toContain('>In<');
    expect(before).toContain('> the<');
    expect(peak).toContain('ctx__token--peak');
    expect(peak).toContain('> beginning<');
    // Whitespace stays visible, on one line.
    expect(after).toContain('>↵<');
    expect(after).toContain('> God<');
    expect(html).toContain('4.00');
    expect(html).toContain('seq 3:17');
  });

  it('colours only the tokens where the feature is active, and keeps their values for hovering', () => {
    const html = renderToStaticMarkup(<ContextStrip tokens={['a', 'b', 'c']} values={[0, 2, 1]} peak={1} scaleMax={2} />);
    expect(html.match(/ctx__token--active/g)).toHaveLength(2);
    expect(html).toContain('data-value="1"');
    expect(html.match(/background:transparent/g)).toHaveLength(1);
  });
});
