import { describe, expect, it } from 'vitest';
import { parseExplanations } from './explanations';

describe('explanations', () => {
  it('read Neuronpedia’s export: a list of objects with index (often a string) and description', () => {
    const json = [
      { modelId: 'explorer-4l', layer: 'L2-resid-topk', index: '17', description: ' years and dates ', typeName: 'oai_token-act-pair' },
      { feature: 3, explanation: 'the word “Lord”' },
      { index: 17, description: 'a second, ignored explanation' },
    ];
    expect([...parseExplanations(json, 'explanations.json', 100)]).toEqual([
      [17, 'years and dates'],
      [3, 'the word “Lord”'],
    ]);
  });

  it('read a plain index → text object and an {explanations: […]} wrapper', () => {
    expect([...parseExplanations({ '4': 'commas' }, 'x.json')]).toEqual([[4, 'commas']]);
    expect([...parseExplanations({ explanations: [{ index: 1, description: 'a' }] }, 'x.json')]).toEqual([[1, 'a']]);
  });

  it('say which entry is wrong and what shape is expected', () => {
    expect(() => parseExplanations([{ index: 'x', description: 'a' }], 'mine.json')).toThrow(/mine\.json: entry 0 names no feature index.*Neuronpedia/);
    expect(() => parseExplanations([{ index: 5 }], 'mine.json')).toThrow(/entry 0 has no text/);
    expect(() => parseExplanations([{ index: 500, description: 'a' }], 'mine.json', 256)).toThrow(/feature 500, but the SAE has features 0–255/);
    expect(() => parseExplanations('hello', 'mine.json')).toThrow(/neither a list nor an object/);
  });
});
