import { describe, expect, it } from 'vitest';
import { MAX_HOST_TEXT, parseHostMessage } from './hostMessages';

describe('parseHostMessage', () => {
  it('reads each documented message', () => {
    expect(parseHostMessage({ type: 'sae-explorer:set-text', text: 'Hello' })).toEqual({ ok: true, message: { type: 'set-text', text: 'Hello' } });
    expect(parseHostMessage({ type: 'sae-explorer:select', sae: 'L2-resid-topk', feature: 7 })).toEqual({
      ok: true,
      message: { type: 'select', sae: 'L2-resid-topk', feature: 7, token: null },
    });
    expect(parseHostMessage({ type: 'sae-explorer:get-activations', id: 'q1', feature: 3 })).toEqual({
      ok: true,
      message: { type: 'get-activations', id: 'q1', text: null, sae: null, feature: 3, top: 5 },
    });
  });

  it('ignores without a word what is not meant for it', () => {
    for (const data of [null, undefined, 'sae-explorer:set-text', 42, [1], {}, { type: 'webpackOk' }, { type: 3 }]) {
      expect(parseHostMessage(data)).toMatchObject({ ok: false, ours: false });
    }
  });

  it('refuses, saying why, a message of ours that is malformed', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'sae-explorer:set-text' }, /text must be a string/],
      [{ type: 'sae-explorer:set-text', text: 'x'.repeat(MAX_HOST_TEXT + 1) }, /the most is/],
      [{ type: 'sae-explorer:select' }, /names none/],
      [{ type: 'sae-explorer:select', feature: -1 }, /feature must be a whole number/],
      [{ type: 'sae-explorer:select', feature: 1.5 }, /feature must be a whole number/],
      [{ type: 'sae-explorer:select', feature: '3' }, /feature must be a whole number/],
      [{ type: 'sae-explorer:select', sae: '' }, /sae must be an SAE id/],
      [{ type: 'sae-explorer:get-activations', top: 0 }, /top must be/],
      [{ type: 'sae-explorer:get-activations', id: { x: 1 } }, /id must be/],
      [{ type: 'sae-explorer:launch-missiles' }, /unknown message type/],
    ];
    for (const [data, reason] of cases) {
      const parsed = parseHostMessage(data);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.ours).toBe(true);
        expect(parsed.reason).toMatch(reason);
      }
    }
  });

  it('never throws, whatever arrives', () => {
    const hostile = Object.defineProperty({ type: 'sae-explorer:set-text' }, 'text', {
      get() {
        throw new Error('boom');
      },
    });
    expect(parseHostMessage(hostile)).toMatchObject({ ok: false, ours: true });
    const proxy = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(() => parseHostMessage(proxy)).not.toThrow();
  });
});
