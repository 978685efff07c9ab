import { describe, expect, it } from 'vitest';
import { describedId, userSaeId } from './userSaeId';

const topk = { format: 'sparsify', architecture: 'topk', hookName: 'blocks.2.hook_resid_post' } as const;

describe('userSaeId', () => {
  it('names an SAE after the folder its files came in', () => {
    expect(userSaeId(topk, 'layers.2', new Set())).toBe('layers.2');
    expect(userSaeId(topk, 'my sae', new Set())).toBe('my-sae');
  });

  it('names loose files after what the SAE is: format, layer, site, architecture', () => {
    expect(userSaeId(topk, null, new Set())).toBe('sparsify-L2-resid-topk');
    expect(describedId({ format: 'gemmascope', architecture: 'jumprelu', hookName: 'blocks.12.attn.hook_z' })).toBe('gemmascope-L12-attn-jumprelu');
    expect(describedId({ format: 'saelens', architecture: 'standard', hookName: 'blocks.0.hook_mlp_out' })).toBe('saelens-L0-mlp_out-standard');
  });

  it('numbers an id that is taken, so same-named SAEs can be loaded together', () => {
    expect(userSaeId(topk, null, new Set(['sparsify-L2-resid-topk']))).toBe('sparsify-L2-resid-topk-2');
    expect(userSaeId(topk, 'L2-resid-topk', new Set(['L2-resid-topk', 'L2-resid-topk-2']))).toBe('L2-resid-topk-3');
  });
});
