import { describe, expect, it } from 'vitest';
import { CorruptDataError } from './binaryIO';
import { packJson, unpackJson } from './packedJson';

describe('packed JSON', () => {
  it('round-trips a value, smaller than its JSON text when repetitive', async () => {
    const value = { label: Array.from({ length: 500 }, (_, i) => `“ token${i % 20}” / “ other”`), n: [1, 2, 3] };
    const bytes = await packJson('SAESUMM\0', 1, value);
    expect(bytes.length).toBeLessThan(JSON.stringify(value).length / 4);
    expect(await unpackJson(bytes, 'SAESUMM\0', 1)).toEqual(value);
  });

  it('refuses another kind of file, another version, a truncated or damaged one', async () => {
    const bytes = await packJson('SAESUMM\0', 1, { a: 1 });
    const fails = (b: Uint8Array, message: RegExp) => expect(unpackJson(b, 'SAESUMM\0', 1)).rejects.toThrow(message);
    await fails(new TextEncoder().encode('<html>not here</html>'), /signature "SAESUMM"/);
    await expect(unpackJson(bytes, 'SAESUMM\0', 2)).rejects.toThrow(/version 1; this app reads version 2/);
    await fails(bytes.slice(0, -3), /truncated/);
    const damaged = bytes.slice();
    damaged[damaged.length - 6]! ^= 0xff; // inside the gzip CRC
    await expect(unpackJson(damaged, 'SAESUMM\0', 1)).rejects.toBeInstanceOf(CorruptDataError);
  });
});
