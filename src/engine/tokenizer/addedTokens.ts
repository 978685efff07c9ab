/**
 * Added tokens (`<|endoftext|>` and the like) are found in the raw text before pre-tokenization, so
 * that BPE never sees them, as Hugging Face `tokenizers` does.
 */
export interface AddedToken {
  id: number;
  content: string;
  /** match only where the token is not glued to word characters on either side */
  singleWord: boolean;
  /** swallow whitespace to the left / right of the match */
  lstrip: boolean;
  rstrip: boolean;
  special: boolean;
}

/** A stretch of input: plain text for BPE, or one added token. */
export type Segment = { text: string } | { added: AddedToken };

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE = /\p{White_Space}/u;

export class AddedTokenMatcher {
  private readonly pattern: RegExp | null;
  private readonly byContent = new Map<string, AddedToken>();

  constructor(tokens: readonly AddedToken[]) {
    for (const t of tokens) if (t.content.length > 0) this.byContent.set(t.content, t);
    // Longest first, so that "<|im_start|>" wins over a hypothetical "<|im".
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length ? new RegExp(contents.map(escapeRegExp).join('|'), 'gu') : null;
  }

  idOf(content: string): number | undefined {
    return this.byContent.get(content)?.id;
  }

  split(text: string): Segment[] {
    if (!this.pattern) return text ? [{ text }] : [];
    const segments: Segment[] = [];
    let plainStart = 0;
    this.pattern.lastIndex = 0;
    for (let m = this.pattern.exec(text); m; m = this.pattern.exec(text)) {
      const token = this.byContent.get(m[0])!;
      let start = m.index;
      let end = start + m[0].length;
      if (token.singleWord && (isWordAt(text, start - 1) || isWordAt(text, end))) {
        this.pattern.lastIndex = start + 1;
        continue;
      }
      if (token.lstrip) while (start > plainStart && SPACE.test(text[start - 1]!)) start--;
      if (token.rstrip) while (end < text.length && SPACE.test(text[end]!)) end++;
      if (start > plainStart) segments.push({ text: text.slice(plainStart, start) });
      segments.push({ added: token });
      plainStart = end;
      this.pattern.lastIndex = end;
    }
    if (plainStart < text.length) segments.push({ text: text.slice(plainStart) });
    return segments;
  }
}

function isWordAt(text: string, i: number): boolean {
  return i >= 0 && i < text.length && WORD_CHAR.test(text[i]!);
}

function escapeRegExp(s: string): string {
  // Only syntax characters may be escaped in a `u` pattern (so not '-').
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
