/**
 * The binary shard format: the dashboards of a run of consecutive features in one small file, so
 * a dashboard page fetches one shard and nothing else of its SAE. Layout in docs/ARCHITECTURE.md,
 * "Dashboards". A 32-byte header is followed by a gzip body holding an offset table and one record
 * per feature; everything is little-endian.
 */
import { ByteReader, ByteWriter, CorruptDataError, gunzip, gzip } from './binaryIO';
import type { DashboardExampleGroup, FeatureDashboard, FeatureValue, HistogramData, TokenShare, TokenValue } from './featureDashboard';

export const SHARD_MAGIC = 'SAEDASH\0';
export const SHARD_VERSION = 1;
const HEADER_BYTES = 32;
const FLAG_GZIP = 1;

export interface ShardHeader {
  version: number;
  firstFeature: number;
  count: number;
  dSae: number;
  dVocab: number;
}

/** Ids are stored in 2 bytes when they fit, else 4. */
function idWidth(n: number): 2 | 4 {
  return n <= 0x10000 ? 2 : 4;
}

interface Codec {
  featureId: 2 | 4;
  tokenId: 2 | 4;
}

export async function encodeShard(
  header: Omit<ShardHeader, 'version' | 'count'>,
  features: readonly FeatureDashboard[],
  signed: boolean,
): Promise<Uint8Array> {
  const codec: Codec = { featureId: idWidth(header.dSae), tokenId: idWidth(header.dVocab) };
  const body = new ByteWriter();
  for (let i = 0; i <= features.length; i++) body.u32(0);
  features.forEach((d, i) => {
    if (d.index !== header.firstFeature + i) throw new RangeError(`encodeShard: feature ${d.index} is out of order`);
    body.patchU32(4 * i, body.length);
    writeFeature(body, d, codec, signed);
  });
  body.patchU32(4 * features.length, body.length);
  const packed = await gzip(body.toBytes());

  const out = new ByteWriter();
  for (let i = 0; i < 8; i++) out.u8(SHARD_MAGIC.charCodeAt(i));
  out.u16(SHARD_VERSION);
  out.u16(FLAG_GZIP);
  out.u32(header.firstFeature);
  out.u32(features.length);
  out.u32(header.dSae);
  out.u32(header.dVocab);
  out.u32(packed.length);
  out.bytes(packed);
  return out.toBytes();
}

/** Reads the header; throws CorruptDataError when the file is not a shard this code reads. */
export function readShardHeader(bytes: Uint8Array): ShardHeader & { bodyBytes: number; gzip: boolean } {
  const r = new ByteReader(bytes);
  if (bytes.length < HEADER_BYTES) throw new CorruptDataError(`it is ${bytes.length} bytes long, shorter than the ${HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(...r.bytesOf(8));
  if (magic !== SHARD_MAGIC) throw new CorruptDataError('it does not start with the dashboard shard signature "SAEDASH"');
  const version = r.u16();
  if (version !== SHARD_VERSION) {
    throw new CorruptDataError(`it is shard format version ${version}; this app reads version ${SHARD_VERSION}. Recompute the dashboards`);
  }
  const flags = r.u16();
  const header = { version, firstFeature: r.u32(), count: r.u32(), dSae: r.u32(), dVocab: r.u32(), bodyBytes: r.u32(), gzip: (flags & FLAG_GZIP) !== 0 };
  if (HEADER_BYTES + header.bodyBytes !== bytes.length) {
    throw new CorruptDataError(`its header announces ${header.bodyBytes} body bytes but the file holds ${bytes.length - HEADER_BYTES} (truncated?)`);
  }
  if (header.firstFeature + header.count > header.dSae) {
    throw new CorruptDataError(`it claims features ${header.firstFeature}…${header.firstFeature + header.count - 1} of an SAE with ${header.dSae}`);
  }
  return header;
}

export async function decodeShard(bytes: Uint8Array, signed: boolean): Promise<{ header: ShardHeader; features: FeatureDashboard[] }> {
  const header = readShardHeader(bytes);
  const packed = bytes.subarray(HEADER_BYTES);
  const body = header.gzip ? await gunzip(packed) : packed;
  const codec: Codec = { featureId: idWidth(header.dSae), tokenId: idWidth(header.dVocab) };
  const table = new ByteReader(body);
  const offsets = Array.from({ length: header.count + 1 }, () => table.u32());
  const features: FeatureDashboard[] = [];
  for (let i = 0; i < header.count; i++) {
    const [from, to] = [offsets[i]!, offsets[i + 1]!];
    if (from < table.offset || to < from || to > body.length) throw new CorruptDataError(`its offset table is damaged at feature ${header.firstFeature + i}`);
    const r = new ByteReader(body.subarray(0, to), from);
    const d = readFeature(r, header.firstFeature + i, codec, signed, header);
    if (r.offset !== to) throw new CorruptDataError(`the record of feature ${d.index} has ${to - r.offset} bytes left over`);
    features.push(d);
  }
  return { header, features };
}

// ---- records ----

const I16 = 32767;

function writeFeature(w: ByteWriter, d: FeatureDashboard, c: Codec, signed: boolean): void {
  w.u32(d.nActive);
  w.f32(d.maxAct);
  w.f32(d.minAct);
  w.f32(d.meanAct);
  w.u8(d.actHistogram ? 1 : 0);
  if (d.actHistogram) writeHistogram(w, d.actHistogram);
  writeList(w, d.topTokens, (t: TokenShare) => {
    writeId(w, t.id, c.tokenId);
    w.u16(Math.round(clamp(t.share, 0, 1) * 0xffff));
  });
  writeTokenValues(w, d.logits.positive, c);
  writeTokenValues(w, d.logits.negative, c);
  writeHistogram(w, d.logits.histogram);
  writeFeatureValues(w, d.neighbours, c);
  writeFeatureValues(w, d.correlated, c);
  writeGroups(w, d, signed);
}

function readFeature(r: ByteReader, index: number, c: Codec, signed: boolean, h: ShardHeader): FeatureDashboard {
  const nActive = r.u32();
  const maxAct = r.f32();
  const minAct = r.f32();
  const meanAct = r.f32();
  const actHistogram = r.u8() ? readHistogram(r) : null;
  const topTokens = readList(r, () => ({ id: readId(r, c.tokenId, h.dVocab), share: r.u16() / 0xffff }));
  const positive = readTokenValues(r, c, h);
  const negative = readTokenValues(r, c, h);
  const histogram = readHistogram(r);
  const neighbours = readFeatureValues(r, c, h);
  const correlated = readFeatureValues(r, c, h);
  const groups = readGroups(r, Math.max(Math.abs(maxAct), Math.abs(minAct)), signed);
  return { index, nActive, maxAct, minAct, meanAct, actHistogram, topTokens, logits: { positive, negative, histogram }, neighbours, correlated, groups };
}

function writeId(w: ByteWriter, id: number, width: 2 | 4): void {
  if (width === 2) w.u16(id);
  else w.u32(id);
}

function readId(r: ByteReader, width: 2 | 4, limit: number): number {
  const id = width === 2 ? r.u16() : r.u32();
  if (id >= limit) throw new CorruptDataError(`it refers to id ${id}, beyond the ${limit} that exist`);
  return id;
}

function writeList<T>(w: ByteWriter, items: readonly T[], each: (item: T) => void): void {
  if (items.length > 255) throw new RangeError('encodeShard: lists hold at most 255 entries');
  w.u8(items.length);
  items.forEach(each);
}

function readList<T>(r: ByteReader, each: () => T): T[] {
  const n = r.u8();
  return Array.from({ length: n }, each);
}

/** Counts as LEB128 varints: exact at any size, one byte for the many small bins of a sparse feature. */
function writeHistogram(w: ByteWriter, h: HistogramData): void {
  w.f32(h.lo);
  w.f32(h.hi);
  if (h.counts.length > 255) throw new RangeError('encodeShard: histograms hold at most 255 bins');
  w.u8(h.counts.length);
  for (const n of h.counts) w.varUint(n);
}

function readHistogram(r: ByteReader): HistogramData {
  const lo = r.f32();
  const hi = r.f32();
  const bins = r.u8();
  const counts = Array.from({ length: bins }, () => r.varUint());
  return { lo, hi, counts };
}

/** Values as i16 fractions of the list's largest |value|, stored once as f32. */
function writeTokenValues(w: ByteWriter, items: readonly TokenValue[], c: Codec): void {
  const scale = Math.max(0, ...items.map((t) => Math.abs(t.value)));
  w.f32(scale);
  writeList(w, items, (t) => {
    writeId(w, t.id, c.tokenId);
    w.i16(scale > 0 ? Math.round((t.value / scale) * I16) : 0);
  });
}

function readTokenValues(r: ByteReader, c: Codec, h: ShardHeader): TokenValue[] {
  const scale = r.f32();
  return readList(r, () => ({ id: readId(r, c.tokenId, h.dVocab), value: (r.i16() / I16) * scale }));
}

/** Cosines and correlations lie in [−1, 1]: i16 fractions. */
function writeFeatureValues(w: ByteWriter, items: readonly FeatureValue[], c: Codec): void {
  writeList(w, items, (f) => {
    writeId(w, f.index, c.featureId);
    w.i16(Math.round(clamp(f.value, -1, 1) * I16));
  });
}

function readFeatureValues(r: ByteReader, c: Codec, h: ShardHeader): FeatureValue[] {
  return readList(r, () => ({ index: readId(r, c.featureId, h.dSae), value: r.i16() / I16 }));
}

/**
 * Example activations as 8-bit fractions of the feature's largest |activation| (signed SAEs: 7 bits
 * and a sign), stored sparsely as (offset in window, level) pairs; a non-zero activation never
 * rounds to zero, so "did it fire here" survives quantisation.
 */
function writeGroups(w: ByteWriter, d: FeatureDashboard, signed: boolean): void {
  const scale = Math.max(Math.abs(d.maxAct), Math.abs(d.minAct));
  const levels = signed ? 127 : 255;
  writeList(w, d.groups, (g: DashboardExampleGroup) => {
    w.u8(g.kind === 'top' ? 0 : 1);
    w.f32(g.lo);
    w.f32(g.hi);
    w.u32(g.count);
    writeList(w, g.examples, (e) => {
      const length = e.values.length;
      if (length === 0 || length > 255 || e.token < e.start || e.token - e.start >= length) {
        throw new RangeError(`encodeShard: example window of feature ${d.index} is malformed`);
      }
      w.varUint(e.token);
      w.u8(e.token - e.start);
      w.u8(length);
      const nz: number[] = [];
      e.values.forEach((v, i) => v !== 0 && nz.push(i));
      w.u8(nz.length);
      for (const i of nz) {
        const v = e.values[i]!;
        const q = Math.max(1, Math.min(levels, Math.round((Math.abs(v) / scale) * levels)));
        w.u8(i);
        if (signed) w.i8(v < 0 ? -q : q);
        else w.u8(q);
      }
    });
  });
}

function readGroups(r: ByteReader, scale: number, signed: boolean): DashboardExampleGroup[] {
  const levels = signed ? 127 : 255;
  return readList(r, () => {
    const kindByte = r.u8();
    if (kindByte > 1) throw new CorruptDataError(`an example group has unknown kind ${kindByte}`);
    const lo = r.f32();
    const hi = r.f32();
    const count = r.u32();
    const examples = readList(r, () => {
      const token = r.varUint();
      const peakOffset = r.u8();
      const length = r.u8();
      if (peakOffset >= length) throw new CorruptDataError('an example window does not contain its peak token');
      const values = new Float32Array(length);
      const nnz = r.u8();
      for (let j = 0; j < nnz; j++) {
        const i = r.u8();
        if (i >= length) throw new CorruptDataError('an example activation lies outside its window');
        values[i] = ((signed ? r.i8() : r.u8()) / levels) * scale;
      }
      return { token, start: token - peakOffset, values };
    });
    return { kind: kindByte === 0 ? ('top' as const) : ('interval' as const), lo, hi, count, examples };
  });
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
