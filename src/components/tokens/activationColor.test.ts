import { rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, activationColor, contrastRatio, relativeLuminance, scalePosition } from './activationColor';

describe('activationColor', () => {
  it('leaves inactive tokens unshaded', () => {
    expect(activationColor(0, 5).background).toBe('transparent');
    expect(activationColor(3, 0).background).toBe('transparent');
  });

  it('shades positive values orange and negative ones purple, darker when stronger', () => {
    const weak = rgb(activationColor(1, 10).background);
    const strong = rgb(activationColor(10, 10).background);
    const negative = rgb(activationColor(-10, 10).background);
    expect(strong.r).toBeGreaterThan(strong.b); // orange-brown
    expect(negative.b).toBeGreaterThan(negative.g); // purple
    expect(relativeLuminance(strong.toString())).toBeLessThan(relativeLuminance(weak.toString()));
  });

  it('switches to light text where the background is dark', () => {
    expect(activationColor(10, 10).text).toBe('#ffffff');
    expect(activationColor(1, 10).text).not.toBe('#ffffff');
  });

  it('gives every shade, of either sign, text with at least AA contrast (4.5:1)', () => {
    const worst = { ratio: Infinity, value: 0 };
    for (let i = -200; i <= 200; i++) {
      if (i === 0) continue;
      const { background, text } = activationColor(i / 200, 1);
      const ratio = contrastRatio(text, background);
      if (ratio < worst.ratio) Object.assign(worst, { ratio, value: i / 200 });
    }
    expect(worst.ratio, `at ${worst.value}`).toBeGreaterThanOrEqual(AA_CONTRAST);
  });

  it('clips values beyond the scale', () => {
    expect(scalePosition(50, 10)).toBe(1);
    expect(scalePosition(-50, 10)).toBe(0);
    expect(scalePosition(5, 10)).toBe(0.75);
  });
});

describe('relativeLuminance', () => {
  it('is 0 for black and 1 for white', () => {
    expect(relativeLuminance('#000')).toBe(0);
    expect(relativeLuminance('#fff')).toBeCloseTo(1, 6);
  });

  it('gives contrast ratios as WCAG defines them', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    expect(contrastRatio('#6b7280', '#f2f3f5')).toBeCloseTo(4.35, 2);
  });
});
