/**
 * A text in an address: short ones as they are (`text=Call+me+Ishmael`, readable in the link), long
 * ones deflated (deflate-raw, the browser's own CompressionStream) and base64url-encoded
 * (`textz=…`). Deflate with base64url came out 12–20 % shorter than lz-string's
 * compressToEncodedURIComponent on English prose of 180 to 60,000 characters, and needs no
 * dependency. A link holds at most LINK_TEXT_LIMIT characters of text, about 13,000 characters of
 * English once deflated, far more than the model's context reads; beyond that the address keeps the
 * view's other state and the reader is told, while the text stays on the page and in storage.
 */
import { errorMessage } from '../errors/engineError';

export const TEXT_PARAM = 'text';
export const PACKED_TEXT_PARAM = 'textz';

/** The most characters a text may take in a link (past it, many mail and chat tools cut links). */
export const LINK_TEXT_LIMIT = 8000;

/** A text whose plain form takes at most this many characters of the address stays readable there. */
const READABLE_CHARS = 300;

/** A deflated text that grows past this is refused: a link cannot be made to fill the memory. */
export const MAX_TEXT_CHARS = 1_000_000;

/** The parameters that hold `text`, or why none can. */
export type TextParams =
  | { fits: true; params: { [TEXT_PARAM]: string | null; [PACKED_TEXT_PARAM]: string | null } }
  | { fits: false; chars: number };

/** The text in `query`, or null when it holds none; a damaged one says what is wrong with it. */
export type AddressTextRead = { ok: true; text: string | null } | { ok: false; problem: string };

/** The last text packed or unpacked: our own address changes are read back without inflating again. */
let lastPacked: { text: string; packed: string } | null = null;

/** What to write in an address for `text` (both parameters, one of them null). */
export async function textParams(text: string): Promise<TextParams> {
  const plainChars = new URLSearchParams([[TEXT_PARAM, text]]).toString().length - TEXT_PARAM.length - 1;
  if (plainChars <= READABLE_CHARS) return { fits: true, params: { [TEXT_PARAM]: text, [PACKED_TEXT_PARAM]: null } };
  const packed = lastPacked?.text === text ? lastPacked.packed : toBase64Url(await deflate(text));
  lastPacked = { text, packed };
  if (plainChars <= packed.length) {
    return plainChars <= LINK_TEXT_LIMIT ? { fits: true, params: { [TEXT_PARAM]: text, [PACKED_TEXT_PARAM]: null } } : { fits: false, chars: plainChars };
  }
  return packed.length <= LINK_TEXT_LIMIT ? { fits: true, params: { [TEXT_PARAM]: null, [PACKED_TEXT_PARAM]: packed } } : { fits: false, chars: packed.length };
}

/** The text of `query` when it can be had without inflating (plain, absent, or the one we just packed); undefined otherwise. */
export function textParamNow(query: URLSearchParams): string | null | undefined {
  const packed = query.get(PACKED_TEXT_PARAM);
  if (packed === null) return query.get(TEXT_PARAM);
  return lastPacked?.packed === packed ? lastPacked.text : undefined;
}

/** The text of `query`: `textz` (inflated) before `text`. */
export async function readTextParam(query: URLSearchParams): Promise<AddressTextRead> {
  const now = textParamNow(query);
  if (now !== undefined) return { ok: true, text: now };
  const packed = query.get(PACKED_TEXT_PARAM)!;
  try {
    const text = await inflate(fromBase64Url(packed));
    lastPacked = { text, packed };
    return { ok: true, text };
  } catch (err) {
    return { ok: false, problem: `The text in this address (textz=, ${packed.length.toLocaleString('en-US')} characters) cannot be read: ${errorMessage(err)}` };
  }
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes: Uint8Array): Promise<string> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_TEXT_CHARS) {
      await reader.cancel();
      throw new Error(`it unpacks to more than ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters`);
    }
  }
  return text + decoder.decode();
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('it holds characters that base64url does not use');
  const binary = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
