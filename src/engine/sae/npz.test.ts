import { describe, expect, it } from 'vitest';
import { EngineError } from '../types';
import { NpzFile, parseNpy, readNpz } from './npz';
import { caseFileBytes } from '../../../tools/testing/saeFormatCases';
import { crc32 } from './zip';

function npy(descr: string, shape: number[], data: Uint8Array, options: { fortran?: boolean; version?: 1 | 2 } = {}): Uint8Array {
  const version = options.version ?? 1;
  const prefix = version === 1 ? 10 : 12;
  let header = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((prefix + header.length) % 64)) + '\n';
  const out = new Uint8Array(prefix + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(data, prefix + header.length);
  return out;
}

const bytesOf = (a: Float32Array | Uint16Array | Float64Array) => new Uint8Array(a.buffer);

/** A stored-only zip written the ZIP64 way (sizes and offsets in extra fields, ZIP64 end records). */
function zip64(entries: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = new TextEncoder().encode(name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint32(14, crc32(data), true);
    local.setUint32(18, data.byteLength, true);
    local.setUint32(22, data.byteLength, true);
    local.setUint16(26, nameBytes.byteLength, true);
    const cd = new DataView(new ArrayBuffer(46 + nameBytes.byteLength + 28));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint32(16, crc32(data), true);
    cd.setUint32(20, 0xffffffff, true);
    cd.setUint32(24, 0xffffffff, true);
    cd.setUint16(28, nameBytes.byteLength, true);
    cd.setUint16(30, 28, true);
    cd.setUint32(42, 0xffffffff, true);
    new Uint8Array(cd.buffer).set(nameBytes, 46);
    const extra = 46 + nameBytes.byteLength;
    cd.setUint16(extra, 1, true);
    cd.setUint16(extra + 2, 24, true);
    cd.setBigUint64(extra + 4, BigInt(data.byteLength), true);
    cd.setBigUint64(extra + 12, BigInt(data.byteLength), true);
    cd.setBigUint64(extra + 20, BigInt(offset), true);
    parts.push(new Uint8Array(local.buffer), nameBytes, data);
    central.push(new Uint8Array(cd.buffer));
    offset += 30 + nameBytes.byteLength + data.byteLength;
  }
  const cdSize = central.reduce((n, c) => n + c.byteLength, 0);
  const end = new DataView(new ArrayBuffer(56 + 20 + 22));
  end.setUint32(0, 0x06064b50, true);
  end.setBigUint64(24, BigInt(central.length), true);
  end.setBigUint64(32, BigInt(central.length), true);
  end.setBigUint64(40, BigInt(cdSize), true);
  end.setBigUint64(48, BigInt(offset), true);
  end.setUint32(56, 0x07064b50, true);
  end.setBigUint64(64, BigInt(offset + cdSize), true);
  end.setUint32(76, 0x06054b50, true);
  end.setUint16(84, 0xffff, true);
  end.setUint16(86, 0xffff, true);
  end.setUint32(88, 0xffffffff, true);
  end.setUint32(92, 0xffffffff, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of all) out.set(p, (at += p.byteLength) - p.byteLength);
  return out;
}

describe('.npy arrays', () => {
  it('reads float32, float16 and float64 arrays as fp32, in either byte order and header version', () => {
    expect(parseNpy(npy('<f4', [2, 2], bytesOf(new Float32Array([1, -2, 3.5, 0]))))).toEqual({ descr: '<f4', shape: [2, 2], data: new Float32Array([1, -2, 3.5, 0]) });
    expect(parseNpy(npy('<f2', [3], bytesOf(new Uint16Array([0x3c00, 0xc000, 0x3800])), { version: 2 })).data).toEqual(new Float32Array([1, -2, 0.5]));
    expect(parseNpy(npy('<f8', [2], bytesOf(new Float64Array([0.25, -8])))).data).toEqual(new Float32Array([0.25, -8]));
    expect(parseNpy(npy('>f4', [1], Uint8Array.from([0x3f, 0x80, 0, 0]))).data).toEqual(new Float32Array([1]));
    expect(parseNpy(npy('<f4', [], bytesOf(new Float32Array([7])))).shape).toEqual([]);
  });

  it.each([
    ['bfloat16 (saved as raw 2-byte values)', npy('<V2', [2], new Uint8Array(4)), /raw 2-byte values \(<V2\), which is how bfloat16 arrays are saved.*astype\(np\.float32\)/],
    ['Fortran order', npy('<f4', [1, 1], new Uint8Array(4), { fortran: true }), /Fortran \(column-major\) order.*np\.ascontiguousarray/],
    ['integers', npy('<i8', [1], new Uint8Array(8)), /dtype <i8; only float arrays/],
    ['a shape larger than the data', npy('<f4', [3, 3], new Uint8Array(8)), /shape \(3, 3\) of <f4 needs 36 data bytes but the file holds 8/],
    ['a missing magic', new Uint8Array(64), /does not start with the \\x93NUMPY magic/],
    ['a header that is not a dict', (() => { const a = npy('<f4', [1], new Uint8Array(4)); a[10] = 0x28; return a; })(), /header is not a dict literal/],
  ])('refuses %s with a message saying what to do', (_what, bytes, message) => {
    expect(() => parseNpy(bytes, 'W_enc.npy')).toThrow(EngineError);
    expect(() => parseNpy(bytes, 'W_enc.npy')).toThrow(message);
  });
});

describe('.npz archives', () => {
  it('reads numpy.savez (stored) and savez_compressed (deflate) archives alike', async () => {
    for (const dir of ['gemmascope-stored', 'gemmascope-deflate']) {
      const arrays = await readNpz(caseFileBytes(dir).get('params.npz')!);
      expect([...arrays.keys()].sort()).toEqual(['W_dec', 'W_enc', 'b_dec', 'b_enc', 'threshold']);
      const [dIn, dSae] = arrays.get('W_enc')!.shape;
      expect(arrays.get('W_dec')!.shape).toEqual([dSae, dIn]);
      expect(arrays.get('threshold')!.data.every((t) => t >= 0 && t < 0.8)).toBe(true);
    }
  });

  it('reads ZIP64 archives, as numpy writes for arrays over 4 GB', async () => {
    const file = await NpzFile.open(zip64({ 'a.npy': npy('<f4', [2], bytesOf(new Float32Array([1, 2]))), 'b.npy': npy('<f4', [1], bytesOf(new Float32Array([3]))) }));
    expect(file.names).toEqual(['a', 'b']);
    expect((await file.array('b')).data).toEqual(new Float32Array([3]));
    await expect(file.array('c')).rejects.toThrow(/has no array "c" \(it holds: a, b\)/);
  });

  it('notices a corrupted entry by its CRC-32', async () => {
    const bytes = caseFileBytes('gemmascope-stored').get('params.npz')!;
    bytes[200] ^= 0x10; // inside W_enc's data
    await expect(readNpz(bytes, { name: 'params.npz' })).rejects.toThrow(/params\.npz is not a valid zip \(\.npz\) file: entry "W_enc\.npy" fails its CRC-32 check/);
  });

  it('refuses a file that is not a zip', async () => {
    await expect(readNpz(new Uint8Array(100), { name: 'params.npz' })).rejects.toThrow(/no end-of-central-directory record/);
  });
});
