import { describe, expect, it } from 'vitest';
import { sequenceStep, sliderStep } from './keyboardSteps';

describe('keyboard steps', () => {
  it('walks a sequence like text and stops at its ends', () => {
    expect(sequenceStep('ArrowRight', 3, 1, 9)).toBe(4);
    expect(sequenceStep('ArrowDown', 3, 1, 9)).toBe(4);
    expect(sequenceStep('ArrowUp', 3, 1, 9)).toBe(2);
    expect(sequenceStep('ArrowLeft', 1, 1, 9)).toBe(1);
    expect(sequenceStep('ArrowRight', 9, 1, 9)).toBe(9);
    expect(sequenceStep('Home', 5, 1, 9)).toBe(1);
    expect(sequenceStep('End', 5, 1, 9)).toBe(9);
  });

  it('moves a slider up with Up, as WAI-ARIA sliders do', () => {
    expect(sliderStep('ArrowUp', 3, 0, 9)).toBe(4);
    expect(sliderStep('ArrowDown', 3, 0, 9)).toBe(2);
  });

  it('starts from nowhere at the end the key points to, and ignores other keys and empty rows', () => {
    expect(sliderStep('ArrowRight', null, 0, 9)).toBe(0);
    expect(sliderStep('ArrowLeft', null, 0, 9)).toBe(9);
    expect(sliderStep('End', null, 0, 9)).toBe(9);
    expect(sliderStep('Home', null, 0, 9)).toBe(0);
    expect(sequenceStep('Enter', 3, 0, 9)).toBeNull();
    expect(sequenceStep('ArrowRight', null, 0, -1)).toBeNull();
  });
});
