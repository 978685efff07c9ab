/**
 * GPT-2's byte ↔ character map: every byte gets a printable, non-whitespace character, so that BPE
 * vocabularies can be stored as JSON strings and merges split on a plain space. Bytes that are
 * already printable map to themselves; the others (control characters, space, 0x7F–0xA0, 0xAD) map
 * to U+0100 onwards, in byte order.
 */
function buildByteToChar(): string[] {
  const printable: number[] = [];
  const add = (from: number, to: number) => {
    for (let b = from; b <= to; b++) printable.push(b);
  };
  add(0x21, 0x7e); // '!'..'~'
  add(0xa1, 0xac); // '¡'..'¬'
  add(0xae, 0xff); // '®'..'ÿ'
  const isPrintable = new Set(printable);
  const chars: string[] = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    chars[b] = String.fromCharCode(isPrintable.has(b) ? b : next++);
  }
  return chars;
}

/** byte value → its stand-in character */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** stand-in character → byte value */
const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

const utf8Encoder = new TextEncoder();

/** UTF-8 bytes of `text`, each written as its stand-in character (the form BPE vocabularies use). */
export function toByteChars(text: string): string {
  let out = '';
  for (const b of utf8Encoder.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** The bytes behind a byte-level vocabulary string, or null if it holds a character outside the map. */
export function fromByteChars(token: string): Uint8Array | null {
  const bytes = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const b = CHAR_TO_BYTE.get(token[i]!);
    if (b === undefined) return null;
    bytes[i] = b;
  }
  return bytes;
}
