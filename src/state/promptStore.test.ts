import { beforeEach, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../engine/types';
import { usePromptStore } from './promptStore';

const event = (file: string, status: LoadProgress['status'], loadedBytes = 0): LoadProgress => ({ file, status, loadedBytes, totalBytes: 100 });

describe("the prompt store's download on show", () => {
  beforeEach(() => usePromptStore.getState().clearResult());

  it('keeps every file downloading while computing, each until it is done', () => {
    const store = usePromptStore.getState();
    store.computeStarted();
    store.downloading(event('saes/a/sae_weights.safetensors', 'initiate'));
    store.downloading(event('saes/a/cfg.json', 'initiate'));
    store.downloading(event('saes/a/sae_weights.safetensors', 'progress', 40));
    // the other file finishing leaves the weights on show
    store.downloading(event('saes/a/cfg.json', 'done', 100));
    expect(usePromptStore.getState().downloads.map((d) => d.file)).toEqual(['saes/a/sae_weights.safetensors']);
    store.downloading(event('saes/a/sae_weights.safetensors', 'done', 100));
    expect(usePromptStore.getState().downloads).toEqual([]);
  });

  it('ignores downloads once nothing is computing', () => {
    usePromptStore.getState().downloading(event('saes/a/sae_weights.safetensors', 'progress', 40));
    expect(usePromptStore.getState().downloads).toEqual([]);
  });
});
