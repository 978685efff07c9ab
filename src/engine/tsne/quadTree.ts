/**
 * A Barnes-Hut quadtree over a 2-D layout, rebuilt each iteration, in flat typed arrays (no object
 * per node: 12k points make ~25k nodes a step, a thousand steps). `repulsion` gives one point's
 * t-SNE repulsive force and its share of the normaliser Z, treating any cell that looks smaller than
 * θ from the point as one body at its centre of mass.
 */

/** Cells deeper than this keep all their points (only exact or near-exact duplicates get here). */
const MAX_DEPTH = 48;

export class QuadTree {
  private capacity = 0;
  private size = 0;
  private count = new Int32Array(0);
  private firstChild = new Int32Array(0);
  private point = new Int32Array(0);
  private sumX = new Float64Array(0);
  private sumY = new Float64Array(0);
  private centreX = new Float64Array(0);
  private centreY = new Float64Array(0);
  private half = new Float64Array(0);
  /** depth-first: each level leaves at most 3 siblings waiting */
  private readonly stack = new Int32Array(4 * (MAX_DEPTH + 2));

  /** Builds the tree over `xy` ([n, 2]). */
  build(xy: Float64Array, n: number): void {
    this.reserve(4 * n + 8);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY, 1e-12) / 2 + 1e-9;
    this.newNode((minX + maxX) / 2, (minY + maxY) / 2, half * (1 + 1e-9));
    for (let i = 0; i < n; i++) this.insert(xy, i);
    // Centres of mass once, so the force loop divides nothing.
    for (let node = 0; node < this.size; node++) {
      const c = this.count[node]!;
      if (c > 0) {
        this.sumX[node]! /= c;
        this.sumY[node]! /= c;
      }
    }
  }

  /**
   * Adds point i's repulsive force, Σ_j q_ij² Z (y_i − y_j) with q_ij Z = 1 / (1 + |y_i − y_j|²),
   * into force[2i], force[2i+1]; returns its part of Z, Σ_j q_ij Z. Requires build() first.
   */
  repulsion(xy: Float64Array, i: number, theta2: number, force: Float64Array): number {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    const { count, firstChild, point, sumX: comX, sumY: comY, half, stack } = this;
    let fx = 0;
    let fy = 0;
    let z = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top]!;
      let c = count[node]!;
      if (c === 0) continue;
      const dx = x - comX[node]!;
      const dy = y - comY[node]!;
      const d2 = dx * dx + dy * dy;
      const child = firstChild[node]!;
      if (child >= 0) {
        const width = 2 * half[node]!;
        if (width * width >= theta2 * d2) {
          stack[top++] = child;
          stack[top++] = child + 1;
          stack[top++] = child + 2;
          stack[top++] = child + 3;
          continue;
        }
      } else if (point[node] === i) {
        c -= 1; // the point itself; any others here are its duplicates, at distance 0
        if (c === 0) continue;
      }
      const q = 1 / (1 + d2);
      const cq = c * q;
      z += cq;
      fx += cq * q * dx;
      fy += cq * q * dy;
    }
    force[2 * i]! += fx;
    force[2 * i + 1]! += fy;
    return z;
  }

  private insert(xy: Float64Array, i: number): void {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    let node = 0;
    for (let depth = 0; ; depth++) {
      const child = this.firstChild[node]!;
      if (child >= 0) {
        this.add(node, x, y);
        node = child + this.quadrant(node, x, y);
        continue;
      }
      if (this.count[node] === 0) {
        this.add(node, x, y);
        this.point[node] = i;
        return;
      }
      const p = this.point[node]!;
      const px = xy[2 * p]!;
      const py = xy[2 * p + 1]!;
      if ((px === x && py === y) || depth >= MAX_DEPTH) {
        this.add(node, x, y);
        return;
      }
      // Split: what the leaf held moves to the child its point falls in; i then descends.
      const h = this.half[node]! / 2;
      const cx = this.centreX[node]!;
      const cy = this.centreY[node]!;
      const first = this.newNode(cx - h, cy - h, h);
      this.newNode(cx + h, cy - h, h);
      this.newNode(cx - h, cy + h, h);
      this.newNode(cx + h, cy + h, h);
      this.firstChild[node] = first;
      const moved = first + this.quadrant(node, px, py);
      this.count[moved] = this.count[node]!;
      this.sumX[moved] = this.sumX[node]!;
      this.sumY[moved] = this.sumY[node]!;
      this.point[moved] = p;
      this.point[node] = -1;
    }
  }

  private quadrant(node: number, x: number, y: number): number {
    return (x >= this.centreX[node]! ? 1 : 0) + (y >= this.centreY[node]! ? 2 : 0);
  }

  private add(node: number, x: number, y: number): void {
    this.count[node]!++;
    this.sumX[node]! += x;
    this.sumY[node]! += y;
  }

  private newNode(cx: number, cy: number, half: number): number {
    if (this.size === this.capacity) this.reserve(this.capacity * 2);
    const node = this.size++;
    this.count[node] = 0;
    this.firstChild[node] = -1;
    this.point[node] = -1;
    this.sumX[node] = 0;
    this.sumY[node] = 0;
    this.centreX[node] = cx;
    this.centreY[node] = cy;
    this.half[node] = half;
    return node;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.size));
      return next;
    };
    const ints = (n: number) => new Int32Array(n);
    const floats = (n: number) => new Float64Array(n);
    this.count = grow(this.count, ints);
    this.firstChild = grow(this.firstChild, ints);
    this.point = grow(this.point, ints);
    this.sumX = grow(this.sumX, floats);
    this.sumY = grow(this.sumY, floats);
    this.centreX = grow(this.centreX, floats);
    this.centreY = grow(this.centreY, floats);
    this.half = grow(this.half, floats);
    this.capacity = capacity;
  }
}
