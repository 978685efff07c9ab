import { afterEach, describe, expect, it, vi } from 'vitest';

const storedSaes = vi.fn(async () => []);
vi.mock('./userSaesDb', () => ({ canPersist: true, storedSaes, saveSae: vi.fn(), deleteSae: vi.fn() }));

afterEach(() => vi.unstubAllGlobals());

describe('starting the stores', () => {
  it('reads back what this browser kept only when the app starts, never when a store is imported', async () => {
    const kept: Record<string, string> = {
      'sae-explorer:prompt': JSON.stringify({ state: { text: 'Call me Ishmael.', saeId: 'L1', colorFeature: null }, version: 1 }),
      'sae-explorer:explanations': JSON.stringify({ state: { bySae: { L1: { 3: 'whales' } }, fileBySae: { L1: 'mine.json' } }, version: 1 }),
    };
    const getItem = vi.fn((key: string) => kept[key] ?? null);
    vi.stubGlobal('localStorage', { getItem, setItem: vi.fn(), removeItem: vi.fn() });

    const { usePromptStore } = await import('./promptStore');
    const { useImportedExplanations } = await import('./explanationStore');
    const { startStores } = await import('./startStores');
    expect(getItem).not.toHaveBeenCalled();
    expect(storedSaes).not.toHaveBeenCalled();

    startStores();
    expect(usePromptStore.getState().text).toBe('Call me Ishmael.');
    expect(useImportedExplanations.getState().bySae.L1).toEqual({ 3: 'whales' });
    expect(storedSaes).toHaveBeenCalledTimes(1);
  });
});
