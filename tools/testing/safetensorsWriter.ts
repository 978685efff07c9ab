/**
 * Writes safetensors files from fp32/integer arrays (tests build files with it; tools can save
 * activations with it). Tensors are laid out in the order given, back to back.
 */
import type { SafetensorsDtype } from '../../src/engine/sae/safetensors';

export interface TensorToWrite {
  shape: number[];
  /** F32 from a Float32Array, I32 / I64 from integer arrays; `raw` writes bytes under any dtype */
  data: Float32Array | Int32Array | BigInt64Array | { dtype: SafetensorsDtype; raw: Uint8Array };
}

function dtypeAndBytes(data: TensorToWrite['data']): [SafetensorsDtype, Uint8Array] {
  if (data instanceof Float32Array) return ['F32', new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  if (data instanceof Int32Array) return ['I32', new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  if (data instanceof BigInt64Array) return ['I64', new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  return [data.dtype, data.raw];
}

export function encodeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const [dtype, bytes] = dtypeAndBytes(tensor.data);
    header[name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  // Pad the JSON with spaces so the data section starts 8-byte aligned, as the reference writer does.
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.byteLength));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
