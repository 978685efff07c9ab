import { describe, expect, it } from 'vitest';
import { parseAppOptions } from './appOptions';
import { addressWithModel, keptModelName, keptModelOfUrl, keptModelParam, keptModelUrl, opensOtherModel, typedModel } from './modelAddress';

describe('the address that opens a model', () => {
  it('opens another model, keeping the backend and the options after the route, dropping the SAE links of the one before', () => {
    const href = 'http://h/app/?backend=wasm&model=a/b&processing=none&sae_url=http%3A%2F%2Fs%2F#/feature/x/3?encoder=dense&sae_url=y';
    expect(addressWithModel(href, 'openai-community/gpt2')).toBe('http://h/app/?backend=wasm&model=openai-community%2Fgpt2#/?encoder=dense');
    expect(addressWithModel(href, keptModelParam('hf'), 'none')).toBe('http://h/app/?backend=wasm&model=local%3Ahf&processing=none#/?encoder=dense');
    // null: back to the bundle shipped with the app
    expect(addressWithModel('http://h/?bundle=x/&backend=wasm#/map', null)).toBe('http://h/?backend=wasm#/');
    expect(addressWithModel('http://h/#/', null)).toBe('http://h/#/');
  });

  it('writes addresses that parse back to the model asked for', () => {
    const href = addressWithModel('http://h/app/index.html#/', keptModelParam('my.gpt2'), 'fold_ln');
    const url = new URL(href);
    const options = parseAppOptions(url.search, href, 'models/m/', url.hash);
    expect(options.keptModel).toBe('my.gpt2');
    expect(options.bundleUrl).toBe('http://h/app/local-models/my.gpt2/?processing=fold_ln');
    expect(keptModelUrl('my.gpt2', 'fold_ln', href)).toBe(options.bundleUrl);
    expect(keptModelOfUrl(options.bundleUrl)).toBe('my.gpt2');
    expect(keptModelOfUrl('https://huggingface.co/gpt2/resolve/main/')).toBeNull();
  });

  it('tells a kept model from a repo id or URL, and the shipped bundle from another', () => {
    expect(keptModelName('local:hf')).toBe('hf');
    expect(keptModelName('local:')).toBeNull();
    expect(keptModelName('openai-community/gpt2')).toBeNull();
    expect(opensOtherModel('http://h/?backend=wasm#/')).toBe(false);
    expect(opensOtherModel('http://h/?model=local:hf#/')).toBe(true);
    expect(opensOtherModel('http://h/#/?bundle=x/')).toBe(true);
    expect(typedModel('http://h/?model=gpt2/x')).toBe('gpt2/x');
    expect(typedModel('http://h/?model=local:hf')).toBe('');
  });
});
