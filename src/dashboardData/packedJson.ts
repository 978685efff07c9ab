/**
 * JSON compressed inside a tiny binary header, for the per-feature summaries: a list of 2,048
 * labels and numbers is ~130 kB as JSON and a third of that gzipped, and the bundle's size budget
 * counts bytes on disk (a static host may or may not compress on the fly). The header makes a
 * wrong or damaged file fail with a clear message instead of a JSON syntax error.
 *
 * Layout: 8-byte signature, u16 format version, u16 flags (bit 0: gzip), u32 body length, body.
 */
import { errorMessage } from '../errors/engineError';
import { ByteReader, ByteWriter, CorruptDataError, gunzip, gzip } from './binaryIO';

const HEADER_BYTES = 16;
const FLAG_GZIP = 1;

export async function packJson(signature: string, version: number, value: unknown): Promise<Uint8Array> {
  if (signature.length !== 8) throw new RangeError('packJson: the signature must be 8 characters');
  const body = await gzip(new TextEncoder().encode(JSON.stringify(value)));
  const w = new ByteWriter();
  for (let i = 0; i < 8; i++) w.u8(signature.charCodeAt(i));
  w.u16(version);
  w.u16(FLAG_GZIP);
  w.u32(body.length);
  w.bytes(body);
  return w.toBytes();
}

/** The JSON value; throws CorruptDataError when the file is not this kind, version, or intact. */
export async function unpackJson(bytes: Uint8Array, signature: string, version: number): Promise<unknown> {
  if (bytes.length < HEADER_BYTES) throw new CorruptDataError(`it is ${bytes.length} bytes long, shorter than its ${HEADER_BYTES}-byte header`);
  const r = new ByteReader(bytes);
  const found = String.fromCharCode(...r.bytesOf(8));
  if (found !== signature) throw new CorruptDataError(`it does not start with the signature "${signature.replace(/\0/g, '')}"`);
  const v = r.u16();
  if (v !== version) throw new CorruptDataError(`it is format version ${v}; this app reads version ${version}. Recompute the dashboards`);
  const flags = r.u16();
  const length = r.u32();
  if (HEADER_BYTES + length !== bytes.length) {
    throw new CorruptDataError(`its header announces ${length} body bytes but the file holds ${bytes.length - HEADER_BYTES} (truncated?)`);
  }
  const body = bytes.subarray(HEADER_BYTES);
  const text = new TextDecoder().decode(flags & FLAG_GZIP ? await gunzip(body) : body);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CorruptDataError(`its body is not valid JSON (${errorMessage(err)})`);
  }
}
