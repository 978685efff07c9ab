import { describe, expect, it } from 'vitest';
import { deltaPointFor } from './deltaPoint';

const STEER = [
  'blocks.0.hook_resid_pre',
  'blocks.0.attn.hook_z',
  'blocks.0.hook_mlp_out',
  'blocks.1.hook_resid_pre',
  'blocks.1.attn.hook_z',
  'blocks.1.hook_mlp_out',
  'blocks.1.hook_resid_post',
];

describe('deltaPointFor', () => {
  it('adds at a hook that has its own delta input', () => {
    expect(deltaPointFor('blocks.1.attn.hook_z', STEER)).toBe('blocks.1.attn.hook_z');
    expect(deltaPointFor('blocks.0.hook_mlp_out', STEER)).toBe('blocks.0.hook_mlp_out');
    expect(deltaPointFor('blocks.1.hook_resid_post', STEER)).toBe('blocks.1.hook_resid_post');
  });

  it("adds at a block's resid_post through the next block's resid_pre", () => {
    expect(deltaPointFor('blocks.0.hook_resid_post', STEER)).toBe('blocks.1.hook_resid_pre');
  });

  it('has no point for hooks the model cannot add to', () => {
    expect(deltaPointFor('blocks.0.attn.hook_pattern', STEER)).toBeNull();
    expect(deltaPointFor('blocks.0.hook_resid_post', ['blocks.0.hook_resid_pre'])).toBeNull();
  });
});
