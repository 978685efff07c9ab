/**
 * A small builder for ONNX graphs: declare inputs, add weights as initializers, chain operators by
 * the names of their outputs, declare outputs, get model bytes for `createSession`.
 *
 *   const g = new GraphBuilder('sae_encoder');
 *   const x = g.input('acts', 'float32', ['n_tokens', 256]);
 *   const pre = g.op('Add', [g.op('MatMul', [x, g.weight('W_enc', wEnc, [256, 2048])]), g.weight('b_enc', bEnc, [2048])]);
 *   g.output(g.op('Relu', [pre]), 'feature_acts', 'float32', ['n_tokens', 2048]);
 *   const bytes = g.toModel();
 */
import { type Attribute, type ElemType, encodeModel, type NodeSpec, type TensorSpec, type ValueInfoSpec } from './onnxProto';

export type { Attribute, ElemType } from './onnxProto';

/** Attribute constructors: ONNX attributes are typed, and 1 and 1.0 must not be confused. */
export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  tensor: (value: TensorSpec): Attribute => ({ kind: 'tensor', value }),
};

type TypedData = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

function bytesOf(data: TypedData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function elemTypeOf(data: TypedData): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: TensorSpec[] = [];
  private readonly inputs: ValueInfoSpec[] = [];
  private readonly outputs: ValueInfoSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly name: string) {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`GraphBuilder: the name "${name}" is used twice in graph ${this.name}`);
    this.names.add(name);
    return name;
  }

  private fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    return name;
  }

  input(name: string, type: ElemType, shape: readonly (number | string)[]): string {
    this.inputs.push({ name: this.claim(name), type, shape });
    return name;
  }

  /** A constant tensor stored in the model (on the GPU under WebGPU); the data is not copied. */
  weight(name: string, data: TypedData, dims: readonly number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`GraphBuilder: weight "${name}" has ${data.length} values but dims [${dims.join(', ')}]`);
    this.initializers.push({ name: this.claim(name), type: elemTypeOf(data), dims: [...dims], raw: bytesOf(data) });
    return name;
  }

  /** A small constant with a generated name: scalars (dims []) and shape/index vectors. */
  constant(data: TypedData, dims: readonly number[] = [data.length]): string {
    return this.weight(this.fresh('const'), data, dims);
  }

  /** Adds one node and returns the names of its outputs (`outputs` of them). */
  ops(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => this.claim(this.fresh(opType.toLowerCase())));
    this.nodes.push({ opType, name: this.claim(this.fresh(`${opType}_node`)), inputs, outputs: names, attributes });
    return names;
  }

  /** Adds a single-output node and returns its output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}): string {
    return this.ops(opType, inputs, attributes, 1)[0];
  }

  /** Declares `value` a graph output under `name` (through an Identity when the names differ). */
  output(value: string, name: string, type: ElemType, shape: readonly (number | string)[]): void {
    if (value !== name) this.nodes.push({ opType: 'Identity', name: this.claim(this.fresh('Identity_node')), inputs: [value], outputs: [this.claim(name)] });
    this.outputs.push({ name, type, shape });
  }

  toModel(options: { opset?: number; docString?: string } = {}): Uint8Array {
    return encodeModel({
      graph: { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs },
      ...options,
    });
  }
}
