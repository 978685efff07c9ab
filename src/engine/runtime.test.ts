import { describe, expect, it } from 'vitest';
import { createSession, currentBackend, initRuntime } from './runtime';
import { SMOKE_MODEL_BASE64, smokeExpected } from './runtimeSmoke';
import { EngineError } from './types';

const smokeBytes = () => Uint8Array.from(Buffer.from(SMOKE_MODEL_BASE64, 'base64'));

describe('runtime (Node, wasm)', () => {
  it('falls back to wasm in Node and says why WebGPU was not used', async () => {
    const info = await initRuntime('auto');
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(1);
    expect(info.fallbackReason).toMatch(/WebGPU/);
    expect(currentBackend()).toEqual(info);
  });

  it('refuses an explicit WebGPU request it cannot honour, naming the reason', async () => {
    await expect(initRuntime('webgpu')).rejects.toThrow(/WebGPU was requested but cannot be used/);
    // the failed request leaves the previous choice in place
    expect(currentBackend().name).toBe('wasm');
  });

  it('runs a graph and returns engine tensors with the computed numbers', async () => {
    await initRuntime('wasm');
    const session = await createSession(smokeBytes());
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const x = Float32Array.from([3, -1, 0.5, 2]);
    const out = await session.run({ x: { type: 'float32', data: x, dims: [1, 4] } }, ['y']);
    expect(out.y!.dims).toEqual([1, 4]);
    expect(out.y!.type).toBe('float32');
    expect(Array.from(out.y!.data as Float32Array)).toEqual(Array.from(smokeExpected(x)));
    await session.release();
  });

  it('reports a broken model file as an EngineError', async () => {
    const err = await createSession(Uint8Array.from([1, 2, 3, 4])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/could not load this ONNX model/);
  });

  it('reports a bad feed as an EngineError', async () => {
    const session = await createSession(smokeBytes());
    const wrongShape = { type: 'float32' as const, data: new Float32Array(3), dims: [1, 3] };
    await expect(session.run({ x: wrongShape })).rejects.toBeInstanceOf(EngineError);
    await session.release();
  });
});
