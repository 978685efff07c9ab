/**
 * Products of weight matrices (decoder × unembedding, decoder × decoderᵀ) on the ONNX runtime, the
 * engine's one matrix-multiply kernel: B is an initializer, A is fed in blocks of rows so that the
 * output never needs more than `blockRows × n` floats at once.
 */
import { GraphBuilder } from '../onnx/graphBuilder';
import { createSession, type Session } from '../runtime';

const A = 'a';
const C = 'c';

export class MatMul {
  private constructor(
    private readonly session: Session,
    readonly k: number,
    readonly n: number,
  ) {}

  /** A session computing A·B for any A [m, k]; `b` is [k, n], row-major. */
  static async create(b: Float32Array, k: number, n: number): Promise<MatMul> {
    if (b.length !== k * n) throw new RangeError(`MatMul: B has ${b.length} values, not ${k}×${n}`);
    const g = new GraphBuilder('matmul');
    const a = g.input(A, 'float32', ['m', k]);
    g.output(g.op('MatMul', [a, g.weight('b', b, [k, n])]), C, 'float32', ['m', n]);
    return new MatMul(await createSession(g.toModel()), k, n);
  }

  /** A [m, k] → A·B [m, n]. */
  async run(a: Float32Array, m: number): Promise<Float32Array> {
    if (a.length !== m * this.k) throw new RangeError(`MatMul: A has ${a.length} values, not ${m}×${this.k}`);
    const out = await this.session.run({ [A]: { type: 'float32', data: a, dims: [m, this.k] } }, [C]);
    return out[C]!.data as Float32Array;
  }

  /** Calls `each(rows, firstRow, count)` with A·B for successive blocks of `blockRows` rows of A. */
  async forEachBlock(
    a: Float32Array,
    m: number,
    blockRows: number,
    each: (product: Float32Array, firstRow: number, count: number) => void,
  ): Promise<void> {
    for (let r = 0; r < m; r += blockRows) {
      const count = Math.min(blockRows, m - r);
      each(await this.run(a.subarray(r * this.k, (r + count) * this.k), count), r, count);
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

