import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../engine/types';
import { isRuntimeBinary, loadHeadline, stepStatusText } from './loadStages';

const file = (name: string, status: LoadProgress['status'], loadedBytes: number, totalBytes: number | null = 1000): LoadProgress => ({
  file: name,
  status,
  loadedBytes,
  totalBytes,
});

describe('the load panel’s headline', () => {
  it('counts files and bytes while any file downloads, the runtime’s binary included', () => {
    const files = [file('manifest.json', 'done', 1000), file('ort-wasm-simd-threaded.wasm', 'progress', 250_000, 1_000_000), file('model.onnx', 'initiate', 0)];
    expect(loadHeadline(files, { runtime: { step: 'runtime', status: 'running' } })).toBe('Downloading 2 of 3 files · 251 kB of 1.0 MB');
  });

  it('names the step the load waits for once every file has arrived, never “3 of 3 files”', () => {
    const files = [file('manifest.json', 'done', 1000), file('tokenizer.json', 'cached', 1000), file('model.onnx', 'done', 1000)];
    expect(loadHeadline(files, { runtime: { step: 'runtime', status: 'running' } })).toBe('Starting ONNX Runtime…');
    expect(loadHeadline(files, { runtime: { step: 'runtime', status: 'done', ms: 900 }, session: { step: 'session', status: 'running' } })).toBe(
      'Building the model’s session…',
    );
    expect(
      loadHeadline(files, {
        runtime: { step: 'runtime', status: 'done', ms: 900 },
        session: { step: 'session', status: 'done', ms: 300 },
        warmup: { step: 'warmup', status: 'running' },
      }),
    ).toBe('Warming up the model…');
  });

  it('shows bytes alone when a size is unknown, and says it is starting before any event', () => {
    expect(loadHeadline([file('model.onnx', 'progress', 2048, null)], {})).toBe('Downloading model.onnx · 2.0 kB');
    expect(loadHeadline([], {})).toBe('Starting…');
  });
});

describe('a step’s status', () => {
  it('reads waiting, running, then the time it took', () => {
    expect(stepStatusText(undefined)).toBe('waiting');
    expect(stepStatusText({ step: 'session', status: 'running' })).toBe('running…');
    expect(stepStatusText({ step: 'session', status: 'done', ms: 1234 })).toBe('1.2 s');
  });
});

it('tells the runtime’s binary from the bundle’s files', () => {
  expect(isRuntimeBinary('ort-wasm-simd-threaded.asyncify.wasm')).toBe(true);
  expect(isRuntimeBinary('model.onnx')).toBe(false);
});
