/**
 * What the analyses read outside the graph (modelWeights.ts: W_U, the final LayerNorm, each block's
 * W_O and b_O), taken from a GPT-2's weights after processing, and written as the bundle's
 * model_weights.safetensors would be (fp32), so that the engine reads a built model's exactly as a
 * bundle's. A folded final LayerNorm is the identity (weight 1, bias 0).
 */
import { transpose } from '../sae/matrix';
import type { Gpt2Config } from './gpt2Config';
import type { Gpt2Weights } from './gpt2Weights';

export function gpt2AnalysisWeights(w: Gpt2Weights, c: Gpt2Config): Uint8Array {
  const { dModel: d, dVocab: V, nHeads, dHead } = c;
  const tensors: [string, Float32Array, number[]][] = [
    ['W_U', w.wU ?? transpose(w.wte, V, d), [d, V]],
    ['ln_final.w', w.lnfW ?? new Float32Array(d).fill(1), [d]],
    ['ln_final.b', w.lnfB ?? new Float32Array(d), [d]],
  ];
  w.layers.forEach((L, l) => {
    tensors.push([`blocks.${l}.attn.W_O`, L.wO, [nHeads, dHead, d]], [`blocks.${l}.attn.b_O`, L.bO, [d]]);
  });
  return encodeSafetensorsF32(tensors);
}

/** A safetensors file of fp32 tensors: 8-byte header length, JSON header padded to 8 bytes, data. */
function encodeSafetensorsF32(tensors: [string, Float32Array, number[]][]): Uint8Array {
  const header: Record<string, { dtype: 'F32'; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const [name, data, shape] of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const [, data] of tensors) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}
