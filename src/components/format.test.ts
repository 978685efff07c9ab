import { describe, expect, it } from 'vitest';
import { formatActivation, formatBytes } from './format';

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
