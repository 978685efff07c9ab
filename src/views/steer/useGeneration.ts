import { useRef, useState } from 'react';
import type { Branch, Generation, GenerationSettings } from '../../engine/generation/generate';
import type { FeatureSteer } from '../../engine/generation/steering';
import { errorCode, errorMessage } from '../../errors/engineError';
import { request } from '../../state/session';

/** One continuation as it streams in. */
export interface Stream {
  tokens: string[];
  logProbs: number[];
}

export interface GenerationState {
  status: 'idle' | 'running' | 'done' | 'stopped' | 'failed';
  /** the prompt as the model read it, once the generation has ended (BOS first) */
  result: Generation | null;
  streams: Record<Branch, Stream>;
  error: string | null;
}

const EMPTY: GenerationState = { status: 'idle', result: null, streams: { steered: { tokens: [], logProbs: [] }, unsteered: { tokens: [], logProbs: [] } }, error: null };

/** Runs a steered generation in the worker, keeping the tokens as they stream in; `stop` ends it before its next token. */
export function useGeneration(): { state: GenerationState; start(prompt: string, settings: GenerationSettings, steers: FeatureSteer[]): void; stop(): void } {
  const [state, setState] = useState<GenerationState>(EMPTY);
  const running = useRef<AbortController | null>(null);

  const start = (prompt: string, settings: GenerationSettings, steers: FeatureSteer[]) => {
    running.current?.abort();
    const stopper = new AbortController();
    running.current = stopper;
    setState({ ...EMPTY, status: 'running' });
    request('generate', { prompt, settings, steers }, {
      signal: stopper.signal,
      onProgress: (t) => {
        if (running.current !== stopper) return;
        setState((s) => {
          const stream = s.streams[t.branch];
          return { ...s, streams: { ...s.streams, [t.branch]: { tokens: [...stream.tokens, t.text], logProbs: [...stream.logProbs, t.logProb] } } };
        });
      },
    }).then(
      (result) => {
        if (running.current !== stopper) return;
        running.current = null;
        setState((s) => ({ ...s, status: 'done', result }));
      },
      (err: unknown) => {
        if (running.current !== stopper) return;
        running.current = null;
        // The tokens streamed so far stay on screen.
        if (errorCode(err) === 'cancelled') setState((s) => ({ ...s, status: 'stopped' }));
        else setState((s) => ({ ...s, status: 'failed', error: errorMessage(err) }));
      },
    );
  };

  const stop = () => running.current?.abort();
  return { state, start, stop };
}
