import { describe, expect, it } from 'vitest';
import type { SaeInfo } from '../../engine/engine';
import { checkSettings, checkSteer, parseWhere } from './steerInput';
import { DEFAULT_STEER } from './steerUrl';

const saes: SaeInfo[] = [{ id: 'L2-resid-topk', title: 'L2', hookName: 'blocks.2.hook_resid_post', architecture: 'topk', dIn: 256, dSae: 2048, layer: 2, kind: 'resid', source: 'bundle' }];
const row = { saeId: 'L2-resid-topk', feature: '10', strength: '4', mode: 'add' as const, where: 'all' };
const maxAct = () => 0.5;

describe('what the steering page sends', () => {
  it('scales an added strength by the max activation, and clamps to the value typed', () => {
    expect(checkSteer(row, saes, maxAct)).toEqual({ ok: true, value: { saeId: 'L2-resid-topk', feature: 10, mode: 'add', value: 2, where: { kind: 'all' } } });
    expect(checkSteer({ ...row, mode: 'clamp' }, saes, maxAct)).toMatchObject({ ok: true, value: { value: 4 } });
    expect(checkSteer(row, saes, () => null)).toMatchObject({ ok: true, value: { value: 4 } });
  });

  it('names the problem with a NaN or huge strength, a feature out of range, an unknown SAE', () => {
    expect(checkSteer({ ...row, strength: 'NaN' }, saes, maxAct)).toMatchObject({ ok: false, problem: expect.stringMatching(/not a number/) });
    expect(checkSteer({ ...row, strength: '1e9' }, saes, maxAct)).toMatchObject({ ok: false, problem: expect.stringMatching(/too large/) });
    expect(checkSteer({ ...row, feature: '2048' }, saes, maxAct)).toMatchObject({ ok: false, problem: expect.stringMatching(/0 to 2047/) });
    expect(checkSteer({ ...row, saeId: 'nope' }, saes, maxAct)).toMatchObject({ ok: false, problem: expect.stringMatching(/no SAE/) });
  });

  it('reads where a steer acts', () => {
    expect(parseWhere('from3')).toEqual({ kind: 'from', position: 3 });
    expect(parseWhere('gen')).toEqual({ kind: 'generated' });
    expect(parseWhere('from0')).toBeNull();
  });

  it('checks the sampling settings', () => {
    expect(checkSettings(DEFAULT_STEER)).toEqual({ ok: true, value: { temperature: 0, topK: 0, topP: 0.9, maxTokens: 32, seed: 1 } });
    expect(checkSettings({ ...DEFAULT_STEER, topP: '0' })).toMatchObject({ ok: false });
    expect(checkSettings({ ...DEFAULT_STEER, maxTokens: '' })).toMatchObject({ ok: false });
  });
});
