import { describe, expect, it } from 'vitest';
import { densityInWords, formatDensity, formatSigned } from './featureFormat';

describe('feature numbers as the reader sees them', () => {
  it('show densities as percentages with precision where it matters', () => {
    expect(formatDensity(0.1234)).toBe('12.3%');
    expect(formatDensity(0.01234)).toBe('1.23%');
    expect(formatDensity(0.0012345)).toBe('0.12%');
    expect(formatDensity(0.0000312)).toBe('0.0031%');
    expect(formatDensity(0)).toBe('0%');
  });

  it('say how often a feature fires in words', () => {
    expect(densityInWords(1 / 813)).toBe('1 in 813 tokens');
    expect(densityInWords(0.00001)).toBe('1 in 100,000 tokens');
    expect(densityInWords(0.7)).toBe('active on 70% of tokens');
    expect(densityInWords(0)).toBe('never active on the corpus');
  });

  it('sign logit effects explicitly', () => {
    expect(formatSigned(0.5234)).toBe('+0.523');
    expect(formatSigned(-1.3)).toBe('−1.30');
    expect(formatSigned(12.34)).toBe('+12.3');
  });
});
