import { describe, expect, it } from 'vitest';
import type { UserSaeFile } from '../worker/protocol';
import { givenModel, holdsModel } from './givenModel';

const drop = (...paths: string[]): UserSaeFile[] => paths.map((path) => ({ path, file: new File([path], path.split('/').pop()!) }));

describe('the model in what the reader gave', () => {
  it('takes the folder holding config.json, and of it only the files the engine reads', () => {
    const model = givenModel(drop('gpt2/config.json', 'gpt2/model.safetensors', 'gpt2/tokenizer.json', 'gpt2/pytorch_model.bin', 'gpt2/onnx/config.json.bak'));
    expect(model.name).toBe('gpt2');
    expect(model.files.map((f) => f.path)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
  });

  it('finds the folder inside a parent that was dropped, and names loose files', () => {
    expect(givenModel(drop('runs/my model/config.json', 'runs/my model/tokenizer.json', 'runs/notes.txt')).name).toBe('my-model');
    const loose = givenModel(drop('config.json', 'model.safetensors'));
    expect(loose.name).toBe('dropped-model');
    expect(loose.files).toHaveLength(2);
  });

  it('says what is wrong with a drop that holds no model, or several', () => {
    expect(() => givenModel(drop('sae/cfg.json', 'sae/sae_weights.safetensors'))).toThrow(
      /None of the files you gave is a config\.json \(cfg\.json, sae_weights\.safetensors\).*config\.json, model\.safetensors, tokenizer\.json/,
    );
    expect(() => givenModel(drop('a/config.json', 'b/config.json'))).toThrow(/Several folders you gave hold a config\.json \(a, b\)/);
  });

  it('tells a model’s drop from an SAE’s', () => {
    expect(holdsModel(drop('gpt2/config.json', 'gpt2/model.safetensors'))).toBe(true);
    expect(holdsModel(drop('layer_6/cfg.json', 'layer_6/sae_weights.safetensors'))).toBe(false);
  });
});
