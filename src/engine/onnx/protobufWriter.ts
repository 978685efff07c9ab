/**
 * Protocol Buffers wire-format writer (https://protobuf.dev/programming-guides/encoding/), enough
 * for ONNX: varints, fixed32 floats, length-delimited bytes/strings/messages.
 *
 * A message is kept as a list of parts and only concatenated once, at the top: nesting a 16 MB
 * weight inside TensorProto → GraphProto → ModelProto then costs one copy, not three.
 */

const enum WireType {
  Varint = 0,
  Fixed32 = 5,
  LengthDelimited = 2,
}

export class ProtobufWriter {
  private readonly parts: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** encoded length in bytes so far */
  get byteLength(): number {
    return this.size + this.pending.length;
  }

  private tag(field: number, wire: WireType): void {
    this.rawVarint(field * 8 + wire);
  }

  private rawVarint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) {
      while (value > 0x7f) {
        this.pending.push((value % 128) | 0x80);
        value = Math.floor(value / 128);
      }
      this.pending.push(value);
      return;
    }
    // Negative int64s are ten-byte two's-complement varints.
    let big = BigInt.asUintN(64, BigInt(value));
    while (big > 0x7fn) {
      this.pending.push(Number(big & 0x7fn) | 0x80);
      big >>= 7n;
    }
    this.pending.push(Number(big));
  }

  private flush(): void {
    if (this.pending.length) {
      this.parts.push(Uint8Array.from(this.pending));
      this.size += this.pending.length;
      this.pending = [];
    }
  }

  private append(bytes: Uint8Array): void {
    this.flush();
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }

  /** int32, int64, enum and bool fields */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.pending.push(...bytes);
    return this;
  }

  /** `bytes` fields; the array is referenced, not copied, until finish() */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(value.byteLength);
    this.append(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, message: ProtobufWriter): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(message.byteLength);
    message.flush();
    this.flush();
    this.parts.push(...message.parts);
    this.size += message.size;
    return this;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}
