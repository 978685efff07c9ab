import { describe, expect, it } from 'vitest';
import { displayToken, quotedToken } from './tokenDisplay';

describe('displayToken', () => {
  it('keeps ordinary tokens, leading space included', () => {
    expect(displayToken(' whale')).toEqual({ text: ' whale', breaksLine: false });
  });
  it('makes whitespace-only tokens visible', () => {
    expect(displayToken('  ').text).toBe('··');
    expect(displayToken('\t').text).toBe('⇥');
    expect(displayToken('').text).toBe('∅');
  });
  it('marks newlines and breaks the line after them', () => {
    expect(displayToken('\n\n')).toEqual({ text: '↵↵', breaksLine: true });
    expect(displayToken('.\n')).toEqual({ text: '.↵', breaksLine: true });
  });
});

describe('quotedToken', () => {
  it('quotes what the strip shows, so byte tokens read the same everywhere (no doubled backslash)', () => {
    expect(quotedToken('\\x9D')).toBe('“\\x9D”');
    expect(quotedToken(' the')).toBe('“ the”');
    expect(quotedToken('.\n')).toBe('“.↵”');
  });
});
