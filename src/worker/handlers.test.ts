import { describe, expect, it } from 'vitest';
import { engineHandlers } from './handlers';

const ctx = { signal: new AbortController().signal, progress: () => {}, transfer: () => {} };

describe('the engine’s handlers', () => {
  it('refuse every engine request with code no-engine until a bundle has loaded', async () => {
    const handlers = engineHandlers({ engineReplaced: () => {} });
    await expect(handlers.analyze({ text: 'hi', saeId: 's' }, ctx)).rejects.toMatchObject({ code: 'no-engine' });
    await expect(handlers.liveFeature({ saeId: 's', index: 0 }, ctx)).rejects.toMatchObject({ code: 'no-engine' });
    await expect(handlers.removeSae({ saeId: 's' }, ctx)).rejects.toMatchObject({ code: 'no-engine' });
    await expect(handlers.corpusDashboards({ saeId: 's', nSeqs: 4 }, ctx)).rejects.toMatchObject({ code: 'no-engine' });
  });

  it('drop what waits for the old engine when a load starts, and still have none after it fails', async () => {
    let replaced = 0;
    const handlers = engineHandlers({ engineReplaced: () => replaced++ });
    await expect(handlers.load({ bundleUrl: '/nowhere/no-bundle/', backend: 'wasm' }, ctx)).rejects.toMatchObject({ code: 'not-found', source: 'manifest.json' });
    expect(replaced).toBe(1);
    await expect(handlers.analyze({ text: 'hi', saeId: 's' }, ctx)).rejects.toMatchObject({ code: 'no-engine' });
  });
});
