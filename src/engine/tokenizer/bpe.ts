/**
 * Byte-pair encoding of one pre-tokenized word: starting from single characters, repeatedly merge
 * the adjacent pair with the lowest merge rank (leftmost first among equal ranks), as Hugging Face
 * `tokenizers` and GPT-2's encoder do. A heap keeps long words (a page without spaces) at
 * O(n log n) rather than the quadratic rescan.
 */

/** A merge rule: the two symbols it joins, in rank order (index = rank). */
export type Merge = readonly [string, string];

export interface BpeOptions {
  /** Hugging Face `ignore_merges`: a word that is itself in the vocabulary is one token. */
  ignoreMerges?: boolean;
}

interface Candidate {
  rank: number;
  /** index of the left symbol (its first character's position in the word) */
  left: number;
  /** index of the right symbol when the candidate was made; a later merge invalidates it */
  right: number;
  /** the merged symbol's length, to detect that either side has changed since */
  length: number;
}

function before(a: Candidate, b: Candidate): boolean {
  return a.rank !== b.rank ? a.rank < b.rank : a.left < b.left;
}

class CandidateHeap {
  private readonly items: Candidate[] = [];

  get size(): number {
    return this.items.length;
  }

  push(c: Candidate): void {
    const items = this.items;
    items.push(c);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Candidate | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && before(items[l]!, items[best]!)) best = l;
        if (r < items.length && before(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

export class Bpe {
  /** "left\u0000right" → rank */
  private readonly ranks = new Map<string, number>();

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    merges: readonly Merge[],
    private readonly options: BpeOptions = {},
  ) {
    merges.forEach(([a, b], rank) => {
      const key = pairKey(a, b);
      // A merge listed twice keeps its first (best) rank, as in `tokenizers`.
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
  }

  /** The vocabulary strings `word` splits into (not yet mapped to ids). */
  split(word: string): string[] {
    if (this.options.ignoreMerges && this.vocab.has(word)) return [word];
    const chars = Array.from(word);
    const n = chars.length;
    if (n <= 1) return chars;

    // Symbols live in a linked list over the initial character positions.
    const text = chars.slice();
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const alive = new Uint8Array(n).fill(1);
    const heap = new CandidateHeap();
    const consider = (left: number) => {
      const right = next[left]!;
      if (right < 0) return;
      const rank = this.ranks.get(pairKey(text[left]!, text[right]!));
      if (rank !== undefined) {
        heap.push({ rank, left, right, length: text[left]!.length + text[right]!.length });
      }
    };
    for (let i = 0; i < n - 1; i++) consider(i);

    while (heap.size > 0) {
      const c = heap.pop()!;
      const { left, right } = c;
      if (!alive[left] || !alive[right] || next[left] !== right) continue;
      if (text[left]!.length + text[right]!.length !== c.length) continue;
      text[left] = text[left]! + text[right]!;
      alive[right] = 0;
      next[left] = next[right]!;
      if (next[left]! >= 0) prev[next[left]!] = left;
      if (prev[left]! >= 0) consider(prev[left]!);
      consider(left);
    }

    const out: string[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(text[i]!);
    return out;
  }
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}
