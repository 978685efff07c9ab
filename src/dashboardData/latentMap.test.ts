import { describe, expect, it } from 'vitest';
import { CorruptDataError } from './binaryIO';
import { decodeLatentMap, encodeLatentMap, type LatentMap } from './latentMap';

const map: LatentMap = { n: 3, xy: new Float32Array([-10, 4, 0, -2, 30, 8.5]), kl: 1.25, perplexity: 30, iterations: 1000, seed: 1 };

describe('latent map files', () => {
  it('round-trip within a 65,535th of the map’s extent, in 4 bytes a latent', () => {
    const bytes = encodeLatentMap(map);
    expect(bytes.length).toBe(48 + 4 * 3);
    const back = decodeLatentMap(bytes, 3);
    expect(back).toMatchObject({ n: 3, kl: 1.25, perplexity: 30, iterations: 1000, seed: 1 });
    for (let i = 0; i < 6; i++) expect(Math.abs(back.xy[i]! - map.xy[i]!)).toBeLessThanOrEqual(40 / 65535);
  });

  it('refuse another file, another version, a cut file or another SAE’s map', () => {
    const bytes = encodeLatentMap(map);
    expect(() => decodeLatentMap(new TextEncoder().encode('{"not": "a map"}'))).toThrow(CorruptDataError);
    const later = bytes.slice();
    later[8] = 2;
    expect(() => decodeLatentMap(later)).toThrow(/version 2 map/);
    expect(() => decodeLatentMap(bytes.subarray(0, bytes.length - 2))).toThrow(/should be 60 bytes long/);
    expect(() => decodeLatentMap(bytes, 2048)).toThrow(/places 3 latents but the SAE has 2048/);
  });
});
