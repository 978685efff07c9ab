import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/random';
import { logProbOf, sampleToken, samplingProblem } from './sampling';

const logits = Float32Array.from([1, 3, 2, 0.5, 2.9]);
const settings = { temperature: 1, topK: 0, topP: 1 };

describe('picking the next token', () => {
  it('greedy (temperature 0) takes the most likely token whatever the draw', () => {
    for (const u of [0, 0.5, 0.999]) expect(sampleToken(logits, { ...settings, temperature: 0 }, u)).toBe(1);
  });

  it('top-k 1 and a tiny top-p keep only the most likely token', () => {
    expect(sampleToken(logits, { ...settings, topK: 1 }, 0.99)).toBe(1);
    expect(sampleToken(logits, { ...settings, topP: 1e-6 }, 0.99)).toBe(1);
  });

  it('top-k 2 never picks a token outside the two most likely', () => {
    const random = seededRandom(7);
    const picked = new Set(Array.from({ length: 200 }, () => sampleToken(logits, { ...settings, topK: 2 }, random())));
    expect([...picked].sort()).toEqual([1, 4]);
  });

  it('samples tokens about as often as their probability', () => {
    const random = seededRandom(1);
    const counts = new Array<number>(logits.length).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, settings, random())]!++;
    counts.forEach((c, id) => expect(c / n).toBeCloseTo(Math.exp(logProbOf(logits, id)), 1));
  });

  it('the same draw gives the same token', () => {
    expect(sampleToken(logits, settings, 0.42)).toBe(sampleToken(logits, settings, 0.42));
  });

  it('refuses settings that cannot be sampled with, saying which', () => {
    expect(samplingProblem({ ...settings, temperature: Number.NaN })).toMatch(/temperature/);
    expect(samplingProblem({ ...settings, topK: 1.5 })).toMatch(/top-k/);
    expect(samplingProblem({ ...settings, topP: 0 })).toMatch(/top-p/);
    expect(() => sampleToken(logits, { ...settings, temperature: -1 }, 0.5)).toThrow(/temperature/);
  });
});
