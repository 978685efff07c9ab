import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobufWriter';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf wire format', () => {
  it('writes the encodings of the protobuf documentation', () => {
    expect(hex(new ProtobufWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtobufWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtobufWriter().message(3, new ProtobufWriter().varint(1, 150)).finish())).toBe('1a03089601');
  });

  it('writes negative int64s as ten-byte varints and large ones exactly', () => {
    expect(hex(new ProtobufWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtobufWriter().varint(1, 2 ** 40).finish())).toBe('08808080808020');
    expect(hex(new ProtobufWriter().varint(1, 2n ** 63n - 1n).finish())).toBe('08ffffffffffffffff7f');
  });

  it('writes floats as little-endian fixed32 and booleans as varints', () => {
    expect(hex(new ProtobufWriter().float(2, 1.5).varint(3, true).finish())).toBe('150000c03f1801');
  });

  it('keeps nested byte lengths right when parts are shared, not copied', () => {
    const payload = new Uint8Array(300).fill(7);
    const inner = new ProtobufWriter().bytes(9, payload).varint(2, 1);
    const outer = new ProtobufWriter().varint(1, 8).message(7, new ProtobufWriter().message(5, inner));
    const bytes = outer.finish();
    expect(bytes.byteLength).toBe(outer.byteLength);
    // 0x3a = field 7, length 308 (0xb4 0x02); 0x2a = field 5, length 305 (0xb1 0x02); 0x4a = field 9, length 300 (0xac 0x02)
    expect(hex(bytes.subarray(0, 10))).toBe('08083ab4022ab1024aac');
    expect(bytes[bytes.length - 2]).toBe(0x10);
  });
});
