/**
 * ONNX messages (onnx/onnx.proto, IR version 8 / opset 17) encoded with the wire-format writer.
 * Field numbers are onnx.proto's; only the fields the engine writes are covered.
 */
import { ProtobufWriter } from './protobufWriter';

/** TensorProto.DataType values */
const DataType = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 } as const;
export type ElemType = keyof typeof DataType;

/** An initializer or constant: little-endian raw bytes, as TensorProto.raw_data holds them. */
export interface TensorSpec {
  name: string;
  type: ElemType;
  dims: readonly number[];
  raw: Uint8Array;
}

export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'tensor'; value: TensorSpec };

/** AttributeProto.AttributeType values */
const AttributeType = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

export interface NodeSpec {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, Attribute>>;
}

/** A graph input or output: element type and shape, each dimension a size or a symbolic name. */
export interface ValueInfoSpec {
  name: string;
  type: ElemType;
  shape: readonly (number | string)[];
}

interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
}

export interface ModelSpec {
  graph: GraphSpec;
  opset?: number;
  producerName?: string;
  docString?: string;
}

function encodeTensor(tensor: TensorSpec): ProtobufWriter {
  const w = new ProtobufWriter();
  // dims (1) is a repeated int64: written unpacked, the proto2 default every reader accepts.
  for (const d of tensor.dims) w.varint(1, d);
  w.varint(2, DataType[tensor.type]);
  w.string(8, tensor.name);
  w.bytes(9, tensor.raw);
  return w;
}

function encodeAttribute(name: string, attribute: Attribute): ProtobufWriter {
  const w = new ProtobufWriter().string(1, name);
  switch (attribute.kind) {
    case 'float':
      w.float(2, attribute.value);
      break;
    case 'int':
      w.varint(3, attribute.value);
      break;
    case 'string':
      w.string(4, attribute.value);
      break;
    case 'tensor':
      w.message(5, encodeTensor(attribute.value));
      break;
    case 'floats':
      for (const v of attribute.value) w.float(7, v);
      break;
    case 'ints':
      for (const v of attribute.value) w.varint(8, v);
      break;
  }
  return w.varint(20, AttributeType[attribute.kind]);
}

function encodeNode(node: NodeSpec): ProtobufWriter {
  const w = new ProtobufWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(name, attribute));
  return w;
}

function encodeValueInfo(info: ValueInfoSpec): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const dim of info.shape) {
    const d = new ProtobufWriter();
    if (typeof dim === 'number') d.varint(1, dim);
    else d.string(2, dim);
    shape.message(1, d);
  }
  const tensorType = new ProtobufWriter().varint(1, DataType[info.type]).message(2, shape);
  const type = new ProtobufWriter().message(1, tensorType);
  return new ProtobufWriter().string(1, info.name).message(2, type);
}

function encodeGraph(graph: GraphSpec): ProtobufWriter {
  const w = new ProtobufWriter();
  for (const node of graph.nodes) w.message(1, encodeNode(node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, encodeTensor(tensor));
  for (const input of graph.inputs) w.message(11, encodeValueInfo(input));
  for (const output of graph.outputs) w.message(12, encodeValueInfo(output));
  return w;
}

/** IR version 8 is the one that goes with opset 17 (onnx 1.12). */
const IR_VERSION = 8;

export function encodeModel(model: ModelSpec): Uint8Array {
  const opset = new ProtobufWriter().string(1, '').varint(2, model.opset ?? 17);
  const w = new ProtobufWriter()
    .varint(1, IR_VERSION)
    .string(2, model.producerName ?? 'sae-explorer')
    .message(7, encodeGraph(model.graph))
    .message(8, opset);
  if (model.docString) w.string(6, model.docString);
  return w.finish();
}
