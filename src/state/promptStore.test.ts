import { beforeEach, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../engine/types';
import { usePromptStore } from './promptStore';

const event = (file: string, status: LoadProgress['status'], loadedBytes = 0): LoadProgress => ({ file, status, loadedBytes, totalBytes: 100 });

describe("the prompt store's download on show", () => {
  beforeEach(() => usePromptStore.getState().clearResult());

  it('shows the file downloading while computing, until that file is done', () => {
    const store = usePromptStore.getState();
    store.computeStarted();
    store.downloading(event('saes/a/cfg.json', 'initiate'));
    store.downloading(event('saes/a/sae_weights.safetensors', 'progress', 40));
    // the other file finishing leaves the weights on show
    store.downloading(event('saes/a/cfg.json', 'done', 100));
    expect(usePromptStore.getState().download?.file).toBe('saes/a/sae_weights.safetensors');
    store.downloading(event('saes/a/sae_weights.safetensors', 'done', 100));
    expect(usePromptStore.getState().download).toBeNull();
  });

  it('ignores downloads once nothing is computing', () => {
    usePromptStore.getState().downloading(event('saes/a/sae_weights.safetensors', 'progress', 40));
    expect(usePromptStore.getState().download).toBeNull();
  });
});
