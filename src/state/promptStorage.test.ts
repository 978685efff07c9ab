import { beforeEach, describe, expect, it } from 'vitest';
import { KEPT_PREFIX_CHARS, promptStorage, usePromptStorage } from './promptStorage';

/** localStorage as browsers bound it: setItem throws once the stored characters would pass `quota`. */
class QuotaStorage implements Storage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota: number) {}
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.items].reduce((n, [k, v]) => n + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

type State = { text: string; saeId: string | null };
const NAME = 'sae-explorer:prompt';
const stored = (s: QuotaStorage) => JSON.parse(s.getItem(NAME)!) as { state: State & { textLength?: number }; version: number };

describe('keeping the prompt in localStorage', () => {
  beforeEach(() => usePromptStorage.setState({ keeping: null }));

  it('stores a text that fits as JSON, as createJSONStorage did', () => {
    const local = new QuotaStorage(1_000_000);
    promptStorage<State>(() => local).setItem(NAME, { state: { text: 'short', saeId: 'a' }, version: 1 });
    expect(stored(local)).toEqual({ state: { text: 'short', saeId: 'a' }, version: 1 });
    expect(usePromptStorage.getState().keeping).toBeNull();
  });

  it('over the quota, stores the beginning marked with the whole length, and says so now and after a reload', () => {
    const local = new QuotaStorage(1_000_000);
    local.setItem(NAME, JSON.stringify({ state: { text: 'an older text', saeId: 'a' }, version: 1 }));
    const huge = 'x'.repeat(2_000_000);
    expect(() => promptStorage<State>(() => local).setItem(NAME, { state: { text: huge, saeId: 'a' }, version: 1 })).not.toThrow();
    expect(stored(local).state).toEqual({ text: huge.slice(0, KEPT_PREFIX_CHARS), saeId: 'a', textLength: huge.length });
    expect(usePromptStorage.getState().keeping).toEqual({ kind: 'cut', chars: huge.length, kept: KEPT_PREFIX_CHARS });

    // After a reload: the beginning comes back, without the marker, and the reader is told.
    usePromptStorage.setState({ keeping: null });
    const reloaded = promptStorage<State>(() => local);
    const back = reloaded.getItem(NAME) as { state: State };
    expect(back.state).toEqual({ text: huge.slice(0, KEPT_PREFIX_CHARS), saeId: 'a' });
    const earlier = { kind: 'cut-earlier', chars: huge.length, kept: KEPT_PREFIX_CHARS };
    expect(usePromptStorage.getState().keeping).toEqual(earlier);
    // Saved again unchanged (another field changed), it stays marked, and the notice stays.
    reloaded.setItem(NAME, { state: { ...back.state, saeId: 'b' }, version: 1 });
    expect(stored(local).state.textLength).toBe(huge.length);
    expect(usePromptStorage.getState().keeping).toEqual(earlier);
    // A new text that fits is kept whole, and the notice goes.
    reloaded.setItem(NAME, { state: { text: 'new', saeId: 'b' }, version: 1 });
    expect(stored(local).state).toEqual({ text: 'new', saeId: 'b' });
    expect(usePromptStorage.getState().keeping).toBeNull();
  });

  it('when the browser stores nothing, says so and removes the older text rather than let it pass for this one', () => {
    const local = new QuotaStorage(100);
    local.setItem(NAME, JSON.stringify({ state: { text: 'old', saeId: 'a' }, version: 1 }));
    promptStorage<State>(() => local).setItem(NAME, { state: { text: 'y'.repeat(200), saeId: 'a' }, version: 1 });
    expect(local.getItem(NAME)).toBeNull();
    expect(usePromptStorage.getState().keeping).toMatchObject({ kind: 'unsaved', chars: 200, reason: expect.stringMatching(/quota/) });
  });
});
