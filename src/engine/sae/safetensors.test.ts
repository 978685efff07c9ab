import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../types';
import { parseSafetensorsHeader, readSafetensors, SafetensorsFile } from './safetensors';
import { encodeSafetensors } from '../../../tools/testing/safetensorsWriter';

function rawHeaderFile(header: unknown, dataBytes = 0, declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.byteLength), true);
  out.set(json, 8);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return err as EngineError;
  }
  throw new Error('expected an EngineError, but it parsed');
}

const sample = encodeSafetensors(
  {
    W_enc: { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-8, -7]) },
    // fp16 bits of 1, -2, 65504 (max), 2^-24 (smallest subnormal), -0, +inf
    half: { shape: [6], data: { dtype: 'F16', raw: new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00]).buffer) } },
    // bf16 bits of 1, -2, pi rounded to bf16 (0x4049 → 3.140625)
    brain: { shape: [3], data: { dtype: 'BF16', raw: new Uint8Array(new Uint16Array([0x3f80, 0xc000, 0x4049]).buffer) } },
    idx: { shape: [2], data: new BigInt64Array([5n, -1n]) },
  },
  { format: 'pt' },
);

describe('safetensors', () => {
  it('reads fp32, fp16, bf16 and integer tensors as the writer stored them', async () => {
    const tensors = await readSafetensors(sample);
    expect(tensors.get('W_enc')).toEqual({ dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-8, -7]) });
    expect(Array.from(tensors.get('half')!.data as Float32Array)).toEqual([1, -2, 65504, 2 ** -24, -0, Infinity]);
    expect(Array.from(tensors.get('brain')!.data as Float32Array)).toEqual([1, -2, 3.140625]);
    expect(tensors.get('idx')!.data).toEqual(new BigInt64Array([5n, -1n]));
  });

  it('reads the same tensors from a Blob as from bytes, one tensor at a time', async () => {
    const file = await SafetensorsFile.open(new Blob([sample as Uint8Array<ArrayBuffer>]), { name: 'sae_weights.safetensors' });
    expect(file.names).toEqual(['W_enc', 'half', 'brain', 'idx']);
    expect(file.header.metadata).toEqual({ format: 'pt' });
    expect((await file.float32('W_enc')).data).toEqual(new Float32Array([1, -2, 3.5, 0, 1e-8, -7]));
    const err = await failure(file.float32('idx'));
    expect(err.message).toMatch(/"idx" is I64, but a float tensor was expected/);
    expect((await failure(file.float32('W_dec'))).message).toMatch(/has no tensor "W_dec" \(it holds: W_enc, half, brain, idx\)/);
  });

  it('refuses a 2 GB file with a bad header after reading only its first bytes', async () => {
    let bytesRead = 0;
    const head = rawHeaderFile('{"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]', 0);
    // A Blob that claims 2 GB but only holds its header: reading past it would be visible.
    class HugeBlob extends Blob {
      override get size(): number {
        return 2 ** 31;
      }
      override slice(start = 0, end = this.size): Blob {
        bytesRead += end - start;
        if (end > head.byteLength) throw new Error(`read past the header, up to ${end}`);
        return new Blob([head.slice(start, end)]);
      }
    }
    const t0 = performance.now();
    const err = await failure(SafetensorsFile.open(new HugeBlob([]), { name: 'huge.safetensors' }));
    expect(performance.now() - t0).toBeLessThan(200);
    expect(err.message).toMatch(/huge\.safetensors is not a valid safetensors file: its header is not valid JSON/);
    expect(bytesRead).toBe(head.byteLength);
  });

  it.each([
    ['a header length beyond the file', rawHeaderFile({}, 0, 1000), /header claims 1000 bytes but the file has only 2/],
    ['a header length over 100 MB', rawHeaderFile({}, 0, 2 ** 40), /more than the 100000000-byte limit/],
    ['a file shorter than 8 bytes', new Uint8Array(5), /shorter than 8 bytes/],
    ['an unsupported dtype', rawHeaderFile({ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, 8), /dtype "F64"; this reader supports F32, F16, BF16/],
    ['a shape that disagrees with the offsets', rawHeaderFile({ a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, 20), /F32 \[2,3\] \(24 bytes\) but its data_offsets span 20 bytes/],
    ['offsets past the end', rawHeaderFile({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 8), /ends at byte 12 of the data section, which has only 8 bytes/],
    ['overlapping tensors', rawHeaderFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), /"a" and "b" overlap/],
    ['deep JSON nesting', rawHeaderFile('['.repeat(100_000) + ']'.repeat(100_000)), /nests deeper than 8 levels/],
    ['a header that is not an object', rawHeaderFile([1, 2]), /header is not a JSON object/],
    ['reversed offsets', rawHeaderFile({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, 8), /not \[begin, end\]/],
    ['non-string metadata', rawHeaderFile({ __metadata__: { a: 1 } }), /"__metadata__" must map strings to strings/],
    ['a header that is not UTF-8', (() => { const f = rawHeaderFile('{"a":1}'); f[9] = 0xff; return f; })(), /not UTF-8/],
  ])('refuses %s with a message saying what is wrong', async (_what, bytes, message) => {
    const err = await failure(readSafetensors(bytes, { name: 'bad.safetensors' }));
    expect(err.message).toMatch(message);
    expect(err.source).toBe('bad.safetensors');
  });

  it('parses a header given only its bytes and the file size', () => {
    const headerOnly = sample.subarray(0, 8 + Number(new DataView(sample.buffer).getBigUint64(0, true)));
    const header = parseSafetensorsHeader(headerOnly, { fileSize: sample.byteLength });
    expect(header.entries.get('W_enc')).toMatchObject({ dtype: 'F32', shape: [2, 3], begin: header.dataStart, end: header.dataStart + 24 });
    expect(() => parseSafetensorsHeader(headerOnly)).toThrow(/ends at byte 24 of the data section, which has only 0 bytes/);
  });
});

describe('safetensors over HTTP', () => {
  let server: Server;
  let base = '';
  const served: { ranges: boolean; bytes: number }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/bad' ? rawHeaderFile('{"broken', 1 << 22) : sample;
      const honourRanges = !req.url?.startsWith('/noranges');
      const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (honourRanges && range) {
        const start = Number(range[1]);
        const end = Math.min(Number(range[2]) + 1, body.byteLength);
        res.writeHead(206, { 'content-range': `bytes ${start}-${end - 1}/${body.byteLength}`, 'content-length': end - start });
        served.push({ ranges: true, bytes: end - start });
        res.end(body.subarray(start, end));
      } else {
        res.writeHead(200, { 'content-length': body.byteLength });
        served.push({ ranges: false, bytes: body.byteLength });
        res.end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads only the header and the asked-for tensor with Range requests', async () => {
    served.length = 0;
    const file = await SafetensorsFile.open(`${base}/ok`);
    expect((await file.float32('brain')).data).toEqual(new Float32Array([1, -2, 3.140625]));
    expect(served.every((s) => s.ranges)).toBe(true);
    expect(served.map((s) => s.bytes).slice(-1)).toEqual([6]);
  });

  it('falls back to streaming the whole response when the server ignores Range', async () => {
    const tensors = await readSafetensors(`${base}/noranges`);
    expect(tensors.get('W_enc')!.data).toEqual(new Float32Array([1, -2, 3.5, 0, 1e-8, -7]));
  });

  it('refuses a bad header from a URL', async () => {
    const err = await failure(readSafetensors(`${base}/bad`));
    expect(err.message).toMatch(/\/bad is not a valid safetensors file: its header is not valid JSON/);
  });

  it('says so when the URL does not exist', async () => {
    const closed = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/missing.safetensors`;
    const err = await failure(readSafetensors(url));
    expect(err.message).toMatch(/Could not fetch .*missing\.safetensors: HTTP 404/);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });
});
