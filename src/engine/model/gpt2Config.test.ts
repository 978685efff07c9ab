import { describe, expect, it } from 'vitest';
import { estimatedPeakBytes, parameterCount, parseGpt2Config } from './gpt2Config';

const GPT2_SMALL = { model_type: 'gpt2', n_layer: 12, n_embd: 768, n_head: 12, n_positions: 1024, vocab_size: 50257, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, bos_token_id: 50256 };

describe('a Hugging Face config.json read as GPT-2', () => {
  it('reads GPT-2 small as its config.json says, with Hugging Face’s defaults where it is silent', () => {
    const c = parseGpt2Config(GPT2_SMALL);
    expect(c).toMatchObject({ nLayers: 12, dModel: 768, nHeads: 12, dHead: 64, dMlp: 3072, nCtx: 1024, dVocab: 50257, activation: 'gelu_tanh', bosTokenId: 50256 });
    expect(parameterCount(c)).toBe(124_439_808);
    const { activation_function: _a, bos_token_id: _b, ...bare } = GPT2_SMALL;
    expect(parseGpt2Config(bare)).toMatchObject({ activation: 'gelu_tanh', bosTokenId: 50256, scaleAttnWeights: true, scaleByInverseLayerIdx: false });
    expect(parseGpt2Config({ ...GPT2_SMALL, activation_function: 'gelu', n_inner: 1000 })).toMatchObject({ activation: 'gelu_exact', dMlp: 1000 });
  });

  it('refuses another architecture, naming it and what is supported', () => {
    expect(() => parseGpt2Config({ model_type: 'llama', architectures: ['LlamaForCausalLM'] })).toThrow(
      /"llama" \(LlamaForCausalLM\) model\. This explorer builds GPT-2-architecture models only \(model_type "gpt2"/,
    );
    expect(() => parseGpt2Config([1, 2])).toThrow(/config\.json: must be a JSON object/);
  });

  it('refuses settings it cannot build, naming the key', () => {
    expect(() => parseGpt2Config({ ...GPT2_SMALL, activation_function: 'swish' })).toThrow(/activation_function "swish" is not supported; supported: gelu, gelu_new/);
    expect(() => parseGpt2Config({ ...GPT2_SMALL, tie_word_embeddings: false })).toThrow(/tie_word_embeddings false/);
    expect(() => parseGpt2Config({ ...GPT2_SMALL, n_head: 7 })).toThrow(/n_embd 768 is not a multiple of n_head 7/);
    expect(() => parseGpt2Config({ ...GPT2_SMALL, n_layer: '12' })).toThrow(/"n_layer" must be an integer ≥ 1, found "12"/);
    expect(() => parseGpt2Config({ ...GPT2_SMALL, bos_token_id: 60000 })).toThrow(/bos_token_id 60000 is outside the vocabulary/);
  });

  it('estimates GPT-2 small’s peak memory near what bench/gpt2.ts measured (3.55 GiB resident)', () => {
    const gib = estimatedPeakBytes(parseGpt2Config(GPT2_SMALL)) / 1024 ** 3;
    expect(gib).toBeGreaterThan(3.3);
    expect(gib).toBeLessThan(3.8);
    // an fp16 file is half the download, and a little less at the peak
    expect(estimatedPeakBytes(parseGpt2Config({ ...GPT2_SMALL, torch_dtype: 'float16' })) / 1024 ** 3).toBeLessThan(gib - 0.3);
  });
});
