/**
 * A latent map: 2-D t-SNE coordinates of an SAE's latents, written by the precompute beside its
 * dashboards (dashboards/<saeId>/map.bin, named by the SAE's index.json) and read by the map view.
 * Coordinates are quantised to u16 within the layout's bounds: 4 bytes a latent (8 kB for 2,048),
 * a step of 1/65,535 of the map's width — far below a pixel.
 *
 * Format (version 1, little-endian): "SAEMAP\0\0", u16 version, u16 flags (0), u32 n,
 * f32 minX, minY, maxX, maxY, f32 KL divergence, f32 perplexity, u32 iterations, u32 seed
 * (48 bytes), then n × (u16 x, u16 y), x = minX + q / 65535 · (maxX − minX).
 */
import { ByteReader, ByteWriter, CorruptDataError } from './binaryIO';

export const MAP_FILE = 'map.bin';
export const MAP_SIGNATURE = 'SAEMAP\0\0';
export const MAP_VERSION = 1;
const LEVELS = 65535;

export interface LatentMap {
  n: number;
  /** [n, 2] */
  xy: Float32Array;
  /** KL(P ‖ Q) of the layout, as t-SNE reported it */
  kl: number;
  perplexity: number;
  iterations: number;
  seed: number;
}

function bounds(xy: Float32Array): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]!);
    maxX = Math.max(maxX, xy[i]!);
    minY = Math.min(minY, xy[i + 1]!);
    maxY = Math.max(maxY, xy[i + 1]!);
  }
  return [minX, minY, maxX, maxY];
}

export function encodeLatentMap(map: LatentMap): Uint8Array {
  const w = new ByteWriter();
  for (const ch of MAP_SIGNATURE) w.u8(ch.charCodeAt(0));
  w.u16(MAP_VERSION);
  w.u16(0);
  w.u32(map.n);
  const [minX, minY, maxX, maxY] = bounds(map.xy);
  for (const v of [minX, minY, maxX, maxY, map.kl, map.perplexity]) w.f32(v);
  w.u32(map.iterations);
  w.u32(map.seed);
  const quantise = (v: number, lo: number, hi: number) => (hi > lo ? Math.round(((v - lo) / (hi - lo)) * LEVELS) : 0);
  for (let i = 0; i < map.n; i++) {
    w.u16(quantise(map.xy[2 * i]!, minX, maxX));
    w.u16(quantise(map.xy[2 * i + 1]!, minY, maxY));
  }
  return w.toBytes();
}

/** Throws CorruptDataError (the caller names the file) on a wrong signature, version or length. */
export function decodeLatentMap(bytes: Uint8Array, expectedN?: number): LatentMap {
  const r = new ByteReader(bytes);
  const signature = String.fromCharCode(...r.bytesOf(8));
  if (signature !== MAP_SIGNATURE) throw new CorruptDataError('it is not a latent map (its first bytes are wrong)');
  const version = r.u16();
  if (version !== MAP_VERSION) throw new CorruptDataError(`it is a version ${version} map; this app reads version ${MAP_VERSION}`);
  r.u16();
  const n = r.u32();
  if (expectedN !== undefined && n !== expectedN) throw new CorruptDataError(`it places ${n} latents but the SAE has ${expectedN}`);
  const [minX, minY, maxX, maxY, kl, perplexity] = [r.f32(), r.f32(), r.f32(), r.f32(), r.f32(), r.f32()];
  const iterations = r.u32();
  const seed = r.u32();
  if (bytes.length !== r.offset + 4 * n) throw new CorruptDataError(`it should be ${r.offset + 4 * n} bytes long but is ${bytes.length}`);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = minX + (r.u16() / LEVELS) * (maxX - minX);
    xy[2 * i + 1] = minY + (r.u16() / LEVELS) * (maxY - minY);
  }
  return { n, xy, kl, perplexity, iterations, seed };
}
