import { describe, expect, it } from 'vitest';
import { NO_PROCESSING, parseProcessingParam, processingFromKwargs, processingMismatch, processingParam, saeTrainingProcessing, TL_DEFAULT_PROCESSING } from './weightProcessing';

describe('which processing an SAE was trained on, and whether it can read a model processed otherwise', () => {
  it('takes TransformerLens’s defaults for SAELens, overridden by model_from_pretrained_kwargs; none for sparsify and Gemma Scope', () => {
    expect(saeTrainingProcessing('saelens', {})).toEqual(TL_DEFAULT_PROCESSING);
    expect(saeTrainingProcessing('saelens', { model_from_pretrained_kwargs: { center_writing_weights: false, n_devices: 1 } })).toEqual({
      ...TL_DEFAULT_PROCESSING,
      center_writing_weights: false,
    });
    expect(saeTrainingProcessing('sparsify', null)).toEqual(NO_PROCESSING);
    expect(saeTrainingProcessing('gemmascope', null)).toEqual(NO_PROCESSING);
    expect(processingFromKwargs('nonsense')).toEqual(TL_DEFAULT_PROCESSING);
  });

  it('compares only the settings that change the SAE’s hook', () => {
    const noCentre = { ...TL_DEFAULT_PROCESSING, center_writing_weights: false };
    expect(processingMismatch(TL_DEFAULT_PROCESSING, noCentre, 'blocks.8.hook_resid_pre')).toMatch(
      /trained on the model with center_writing_weights=false, which changes what blocks\.8\.hook_resid_pre holds.*processing=fold_ln,center_unembed,fold_value_biases/,
    );
    expect(processingMismatch(TL_DEFAULT_PROCESSING, noCentre, 'blocks.8.attn.hook_z')).toBeNull();
    expect(processingMismatch(TL_DEFAULT_PROCESSING, NO_PROCESSING, 'blocks.8.attn.hook_z')).toMatch(/fold_value_biases=false/);
    expect(processingMismatch(NO_PROCESSING, { ...NO_PROCESSING, fold_ln: true, center_unembed: true }, 'blocks.2.hook_mlp_out')).toBeNull();
  });

  it('writes and reads the processing= form', () => {
    expect(processingParam(NO_PROCESSING)).toBe('none');
    expect(parseProcessingParam(processingParam(TL_DEFAULT_PROCESSING))).toEqual(TL_DEFAULT_PROCESSING);
    expect(parseProcessingParam('fold_ln, center_unembed')).toEqual({ ...NO_PROCESSING, fold_ln: true, center_unembed: true });
    expect(parseProcessingParam('fold_everything')).toBeNull();
  });
});
