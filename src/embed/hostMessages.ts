/**
 * The postMessage API between a host page and an embedded view (docs/EMBEDDING.md), as data: what
 * a host may send, checked field by field before anything acts on it. Anything else that arrives —
 * other scripts' messages, wrong types, huge texts — is told apart here, so the listener never throws.
 */

export const MESSAGE_PREFIX = 'sae-explorer:';
/** Longer texts are refused: the prompt box itself keeps no more in storage (promptStorage). */
export const MAX_HOST_TEXT = 100_000;
/** The most features per token `get-activations` lists. */
export const MAX_TOP = 32;

/** A request's id, echoed in its reply so a host can match them. */
export type MessageId = string | number | null;

export type HostMessage =
  | { type: 'set-text'; text: string }
  | { type: 'select'; sae: string | null; feature: number | null; token: number | null }
  | { type: 'get-activations'; id: MessageId; text: string | null; sae: string | null; feature: number | null; top: number };

export type ParsedMessage =
  | { ok: true; message: HostMessage }
  /** `ours` is false for messages not meant for us at all, which are ignored without a word */
  | { ok: false; ours: boolean; reason: string };

export function parseHostMessage(data: unknown): ParsedMessage {
  try {
    return parse(data);
  } catch (err) {
    // Structured clones have no getters, but a same-window caller could pass anything.
    return { ok: false, ours: false, reason: `unreadable message: ${String(err)}` };
  }
}

function parse(data: unknown): ParsedMessage {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, ours: false, reason: 'not an object' };
  const m = data as Record<string, unknown>;
  if (typeof m.type !== 'string' || !m.type.startsWith(MESSAGE_PREFIX)) return { ok: false, ours: false, reason: 'not an SAE Explorer message' };
  const type = m.type.slice(MESSAGE_PREFIX.length);
  try {
    switch (type) {
      case 'set-text':
        return { ok: true, message: { type, text: text(m.text, 'text') } };
      case 'select': {
        const message = { type, sae: optionalSae(m.sae), feature: optionalIndex(m.feature, 'feature'), token: optionalIndex(m.token, 'token') } as const;
        if (message.sae === null && message.feature === null && message.token === null) throw new Error('select names none of sae, feature, token');
        return { ok: true, message };
      }
      case 'get-activations': {
        const top = m.top === undefined ? 5 : optionalIndex(m.top, 'top');
        if (top === null || top < 1 || top > MAX_TOP) throw new Error(`top must be 1 to ${MAX_TOP}`);
        return {
          ok: true,
          message: {
            type,
            id: messageId(m.id),
            text: m.text === undefined ? null : text(m.text, 'text'),
            sae: optionalSae(m.sae),
            feature: optionalIndex(m.feature, 'feature'),
            top,
          },
        };
      }
      default:
        return { ok: false, ours: true, reason: `unknown message type “${m.type}”` };
    }
  } catch (err) {
    return { ok: false, ours: true, reason: `${m.type}: ${(err as Error).message}` };
  }
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new Error(`${name} must be a string`);
  if (v.length > MAX_HOST_TEXT) throw new Error(`${name} is ${v.length} characters; the most is ${MAX_HOST_TEXT}`);
  return v;
}

function optionalSae(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.trim() === '' || v.length > 200) throw new Error('sae must be an SAE id');
  return v;
}

function optionalIndex(v: unknown, name: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`${name} must be a whole number ≥ 0`);
  return v;
}

function messageId(v: unknown): MessageId {
  if (v === undefined || v === null) return null;
  if ((typeof v === 'string' && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new Error('id must be a short string or a number');
}
