import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../../tools/testing/safetensorsWriter';
import { tinyGpt2 } from '../../../tools/testing/tinyGpt2';
import { parseGpt2Config } from './gpt2Config';
import { readGpt2Weights } from './gpt2Weights';

const model = tinyGpt2({ vocab: 64 });
const config = parseGpt2Config(model.config);

describe('a GPT-2 model.safetensors', () => {
  it('reads every tensor, with or without the "transformer." prefix, ignoring the causal-mask buffers', async () => {
    const w = await readGpt2Weights(encodeSafetensors(model.tensors), config);
    expect(w.layers).toHaveLength(2);
    expect(w.layers[1]!.wQkv).toEqual(model.tensors['transformer.h.1.attn.c_attn.weight']!.data);
    expect(w.wU).toBeNull();
    const bare = Object.fromEntries(Object.entries(model.tensors).map(([k, v]) => [k.replace(/^transformer\./, ''), v]));
    bare['h.0.attn.bias'] = { shape: [1, 1, 32, 32], data: new Float32Array(1024) };
    const w2 = await readGpt2Weights(encodeSafetensors(bare), config);
    expect(w2.wte).toEqual(w.wte);
  });

  it('names missing tensors, wrong shapes and tensors of layers the config does not have', async () => {
    const { ['transformer.h.1.mlp.c_fc.bias']: _gone, ...missing } = model.tensors;
    await expect(readGpt2Weights(encodeSafetensors(missing), config)).rejects.toThrow(
      /model\.safetensors lacks 1 of the 28 tensors a 2-layer GPT-2 needs \("transformer\.h\.1\.mlp\.c_fc\.bias"\)/,
    );
    const wrong = { ...model.tensors, 'transformer.h.0.attn.c_attn.weight': { shape: [48, 16], data: new Float32Array(768) } };
    await expect(readGpt2Weights(encodeSafetensors(wrong), config)).rejects.toThrow(
      /tensor "transformer\.h\.0\.attn\.c_attn\.weight" has shape \[48, 16\], but config\.json implies \[16, 48\]/,
    );
    const deeper = tinyGpt2({ vocab: 64, layers: 3 });
    await expect(readGpt2Weights(encodeSafetensors(deeper.tensors), config)).rejects.toThrow(/tensors a 2-layer GPT-2 does not have \("transformer\.h\.2\./);
    await expect(readGpt2Weights(new Uint8Array([1, 2, 3]), config)).rejects.toThrow(/model\.safetensors is not a valid safetensors file/);
  });
});
