import { describe, expect, it } from 'vitest';
import { splitHash } from '../matchRoute';
import { DEFAULT_STEER, parseSteerRow, readSteerState, steerFeatureHref, steerHref, steerHrefKeeping } from './steerUrl';

describe('the steering page in its address', () => {
  it('reads back what it wrote, every setting and feature', () => {
    const state = {
      ...DEFAULT_STEER,
      text: 'War & peace: 100%?',
      steers: [
        { saeId: 'L2-resid-topk', feature: '12', strength: '-3.5', mode: 'add' as const, where: 'from4' },
        { saeId: 'user:my:sae', feature: '7', strength: '2', mode: 'clamp' as const, where: 'gen' },
      ],
      seed: '9',
    };
    expect(readSteerState(splitHash(steerHref(state)).query)).toEqual(state);
  });

  it('opens on the default example when the address names nothing', () => {
    expect(readSteerState(new URLSearchParams())).toEqual(DEFAULT_STEER);
  });

  it('takes one feature the short way (sae, f, s)', () => {
    const state = readSteerState(new URLSearchParams('sae=L1-mlp-topk&f=3&s=NaN&text=hi'));
    expect(state.steers).toEqual([{ saeId: 'L1-mlp-topk', feature: '3', strength: 'NaN', mode: 'add', where: 'all' }]);
    expect(state.text).toBe('hi');
  });

  it('keeps what the address holds besides the experiment: an embed’s parameters, the panels’ choices', () => {
    const hash = steerHrefKeeping({ ...DEFAULT_STEER, text: 'new' }, '#/steer?text=old&embed=true&theme=dark&hold=2&splice=L1-mlp-topk&n=5');
    const { query } = splitHash(hash);
    expect(readSteerState(query)).toEqual({ ...DEFAULT_STEER, text: 'new' });
    expect([query.get('embed'), query.get('theme'), query.get('hold'), query.get('splice')]).toEqual(['true', 'dark', '2', 'L1-mlp-topk']);
  });

  it('skips a steer it cannot read, and a feature link names its feature', () => {
    expect(parseSteerRow('L2:1:2:sideways:all')).toBeNull();
    expect(readSteerState(splitHash(steerFeatureHref('L3-attn-topk', 42, 6)).query).steers[0]).toMatchObject({ saeId: 'L3-attn-topk', feature: '42', strength: '6' });
  });
});
