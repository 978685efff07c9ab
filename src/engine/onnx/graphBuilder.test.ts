import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, initRuntime } from '../runtime';
import { attr, GraphBuilder } from './graphBuilder';

describe('ONNX graphs built in TypeScript run in onnxruntime', () => {
  beforeAll(() => initRuntime('wasm'));

  it('uses every attribute kind, initializers and symbolic dimensions as ONNX defines them', async () => {
    const g = new GraphBuilder('attributes');
    const x = g.input('x', 'float32', ['rows', 3]);
    const w = g.weight('w', new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const leaky = g.op('LeakyRelu', [g.op('MatMul', [x, w])], { alpha: attr.float(0.5) }); // float
    const transposed = g.op('Transpose', [leaky], { perm: attr.ints([1, 0]) }); // ints
    const reflected = g.op('Pad', [x, g.constant(new BigInt64Array([0n, 1n, 0n, 1n]))], { mode: attr.string('reflect') }); // string
    const sevens = g.op('ConstantOfShape', [g.constant(new BigInt64Array([2n]))], {
      value: attr.tensor({ name: 'seven', type: 'float32', dims: [1], raw: new Uint8Array(new Float32Array([7]).buffer) }), // tensor
    });
    const floats = g.op('Constant', [], { value_floats: attr.floats([0.25, -1]) }); // floats
    const joined = g.op('Concat', [sevens, floats], { axis: attr.int(-1) }); // int (negative)
    g.output(transposed, 'y', 'float32', [2, 'rows']);
    g.output(reflected, 'padded', 'float32', ['rows', 5]);
    g.output(joined, 'joined', 'float32', [4]);

    const session = await createSession(g.toModel());
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y', 'padded', 'joined']);
    const out = await session.run({ x: { type: 'float32', data: new Float32Array([1, 0, -1, 2, 1, 0]), dims: [2, 3] } });
    // x·w = [[1-5, 2-6], [2+3, 4+4]] = [[-4, -4], [5, 8]]; LeakyRelu(0.5) → [[-2, -2], [5, 8]]; transposed
    expect(Array.from(out.y.data as Float32Array)).toEqual([-2, 5, -2, 8]);
    expect(out.y.dims).toEqual([2, 2]);
    expect(Array.from(out.padded.data as Float32Array)).toEqual([0, 1, 0, -1, 0, 1, 2, 1, 0, 1]);
    expect(Array.from(out.joined.data as Float32Array)).toEqual([7, 7, 0.25, -1]);
    await session.release();
  });

  it('refuses a name used twice, which ONNX would reject later and less clearly', () => {
    const g = new GraphBuilder('twice');
    g.input('x', 'float32', [1]);
    expect(() => g.weight('x', new Float32Array(1), [1])).toThrow(/the name "x" is used twice/);
    expect(() => g.weight('w', new Float32Array(2), [3])).toThrow(/has 2 values but dims \[3\]/);
  });
});
