/**
 * Little-endian float bytes (fp32, fp16, bf16, fp64) to fp32 arrays. SAE files come in all four;
 * the engine computes in fp32 only.
 */

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let f16Table: Float32Array | null = null;

/** All 65536 fp16 values as fp32, built once: a lookup beats bit-twiddling per element. */
function halfToFloatTable(): Float32Array {
  if (f16Table) return f16Table;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) table[h] = mantissa ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  f16Table = table;
  return table;
}

/** Copies `bytes` into a fresh buffer when it is not aligned for a typed-array view of `align`. */
function aligned(bytes: Uint8Array, align: number): Uint8Array {
  return bytes.byteOffset % align === 0 ? bytes : bytes.slice();
}

export function decodeF32(bytes: Uint8Array): Float32Array {
  const n = bytes.byteLength / 4;
  if (littleEndianHost) {
    // A fresh copy, so the result never pins (or aliases) a larger file buffer.
    return new Float32Array(bytes.slice().buffer, 0, n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

export function decodeF16(bytes: Uint8Array): Float32Array {
  const n = bytes.byteLength / 2;
  const table = halfToFloatTable();
  const out = new Float32Array(n);
  if (littleEndianHost) {
    const src = aligned(bytes, 2);
    const halves = new Uint16Array(src.buffer, src.byteOffset, n);
    for (let i = 0; i < n; i++) out[i] = table[halves[i]];
  } else {
    for (let i = 0; i < n; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  }
  return out;
}

/** bf16 is the top half of an fp32, so widening is a 16-bit shift. */
export function decodeBF16(bytes: Uint8Array): Float32Array {
  const n = bytes.byteLength / 2;
  const out = new Float32Array(n);
  const outBits = new Uint32Array(out.buffer);
  if (littleEndianHost) {
    const src = aligned(bytes, 2);
    const halves = new Uint16Array(src.buffer, src.byteOffset, n);
    for (let i = 0; i < n; i++) outBits[i] = halves[i] << 16;
  } else {
    for (let i = 0; i < n; i++) outBits[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
  }
  return out;
}

export function decodeF64(bytes: Uint8Array): Float32Array {
  const n = bytes.byteLength / 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** Big-endian variants, for .npy files written on big-endian machines ('>f4' etc.). */
export function byteSwapped(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i += width) {
    for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b];
  }
  return out;
}
