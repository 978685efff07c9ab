/**
 * The k largest of a stream of (value, id) pairs, for small k (neighbours, correlated features,
 * logit tokens): a sorted insertion list beats a heap below a few dozen entries and keeps ties in
 * arrival order, so results are deterministic.
 */
export class TopK {
  readonly values: Float64Array;
  readonly ids: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.values = new Float64Array(k);
    this.ids = new Float64Array(k);
  }

  /** The smallest value still kept once full; anything not above it is refused. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.values[this.k - 1]!;
  }

  push(value: number, id: number): void {
    if (this.k === 0 || !(value > this.threshold)) return;
    let i = this.size < this.k ? this.size++ : this.k - 1;
    while (i > 0 && this.values[i - 1]! < value) {
      this.values[i] = this.values[i - 1]!;
      this.ids[i] = this.ids[i - 1]!;
      i--;
    }
    this.values[i] = value;
    this.ids[i] = id;
  }

  /** Kept entries, largest first. */
  entries(): { id: number; value: number }[] {
    const out: { id: number; value: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i]!, value: this.values[i]! });
    return out;
  }

  clear(): void {
    this.size = 0;
  }
}
