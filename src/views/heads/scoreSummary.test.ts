import { describe, expect, it } from 'vitest';
import { scoreSummary } from './scoreSummary';

describe('scoreSummary', () => {
  it('interpolates quartiles and leaves out heads that wrote nothing', () => {
    expect(scoreSummary([0, 4, 1, 3, 2, 5])).toEqual({ min: 1, q1: 2, median: 3, q3: 4, max: 5 });
    expect(scoreSummary([2, 1])).toEqual({ min: 1, q1: 1.25, median: 1.5, q3: 1.75, max: 2 });
    expect(scoreSummary([0])).toBeNull();
  });
});
