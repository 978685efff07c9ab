import { describe, expect, it } from 'vitest';
import { densityInWords, formatActivation, formatBytes, formatDensity, formatSigned } from './numbers';

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(23_400_000)).toBe('23.4 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
    expect(formatBytes(3_200_000_000)).toBe('3.2 GB');
  });
});

describe('formatActivation', () => {
  it('keeps about three significant digits and the sign', () => {
    expect(formatActivation(0)).toBe('0');
    expect(formatActivation(2.5)).toBe('2.50');
    expect(formatActivation(-13.74)).toBe('-13.7');
    expect(formatActivation(128.4)).toBe('128');
    expect(formatActivation(0.04213)).toBe('0.042');
  });
});

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
