import { describe, expect, it, vi } from 'vitest';
import { openGivenModel } from './session';
import { useModelChoice } from './modelChoice';

vi.mock('./session', () => ({ openGivenModel: vi.fn(() => Promise.resolve(true)) }));

const files = (...paths: string[]) => paths.map((path) => ({ path, file: new Blob([path]) }));

describe('giving a model from disk', () => {
  it('refuses files that hold no model in the dialog, and opens nothing', () => {
    expect(useModelChoice.getState().openFiles(files('layer_6/cfg.json', 'layer_6/sae_weights.safetensors'))).toBe(false);
    expect(useModelChoice.getState().error).toMatchObject({ title: 'These files are not a model the explorer can open', source: 'config.json' });
    expect(openGivenModel).not.toHaveBeenCalled();
  });

  it('opens the folder’s model files, named after it, processed as chosen', () => {
    useModelChoice.getState().setProcessing('none');
    const given = files('gpt2/config.json', 'gpt2/model.safetensors', 'gpt2/tokenizer.json', 'gpt2/pytorch_model.bin');
    expect(useModelChoice.getState().openFiles(given)).toBe(true);
    expect(useModelChoice.getState().error).toBeNull();
    expect(openGivenModel).toHaveBeenCalledWith(
      'gpt2',
      given.slice(0, 3).map((f) => ({ path: f.path.slice('gpt2/'.length), file: f.file })),
      'none',
    );
  });
});
