/**
 * Reads the initializers (the weights) out of an ONNX model file: just enough of the protobuf
 * wire format to walk ModelProto.graph.initializer and take each TensorProto's name, type, dims
 * and raw bytes. The cached-decoding graph (model/cachedModel.ts) is built from the exported
 * model's own weights this way, so the two cannot hold different numbers.
 */
import { EngineError } from '../types';

export interface Initializer {
  dims: number[];
  /** ONNX TensorProto.DataType: 1 float32, 10 float16 */
  dataType: number;
  raw: Uint8Array;
}

/** ONNX field numbers (onnx.proto3). */
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;

interface Field {
  field: number;
  wire: number;
  /** varint value (wire 0) */
  value: number;
  /** payload (wire 2) */
  bytes: Uint8Array;
}

function* fields(buf: Uint8Array, source: string): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new EngineError(`${source} is cut short inside a protobuf varint.`, source);
      const b = buf[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const wire = key % 8;
    const field = Math.floor(key / 8);
    if (wire === 0) yield { field, wire, value: varint(), bytes: new Uint8Array(0) };
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new EngineError(`${source} is cut short inside a protobuf field.`, source);
      yield { field, wire, value: 0, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new EngineError(`${source} is not an ONNX model (protobuf wire type ${wire}).`, source);
  }
}

/** Every initializer of the model, by name. */
export function readInitializers(model: Uint8Array, source = 'model.onnx'): Map<string, Initializer> {
  const out = new Map<string, Initializer>();
  for (const g of fields(model, source)) {
    if (g.field !== MODEL_GRAPH || g.wire !== 2) continue;
    for (const init of fields(g.bytes, source)) {
      if (init.field !== GRAPH_INITIALIZER || init.wire !== 2) continue;
      const t: Initializer & { name: string } = { name: '', dims: [], dataType: 0, raw: new Uint8Array(0) };
      for (const f of fields(init.bytes, source)) {
        if (f.field === TENSOR_DIMS && f.wire === 0) t.dims.push(f.value);
        else if (f.field === TENSOR_DIMS && f.wire === 2) for (const d of fields(packedAsVarints(f.bytes), source)) t.dims.push(d.value);
        else if (f.field === TENSOR_DATA_TYPE) t.dataType = f.value;
        else if (f.field === TENSOR_NAME) t.name = new TextDecoder().decode(f.bytes);
        else if (f.field === TENSOR_RAW_DATA) t.raw = f.bytes;
      }
      out.set(t.name, { dims: t.dims, dataType: t.dataType, raw: t.raw });
    }
  }
  return out;
}

/** Packed repeated varints, re-keyed as field 1 so `fields` can walk them. */
function packedAsVarints(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let start = true;
  for (const b of bytes) {
    if (start) out.push(0x08);
    out.push(b);
    start = b < 0x80;
  }
  return Uint8Array.from(out);
}
