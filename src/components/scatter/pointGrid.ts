/**
 * A uniform grid over a layout's points, for the map's hit tests: the point nearest the pointer, and
 * the points inside a box, without walking all of them on every mouse move.
 */
export class PointGrid {
  private readonly cellStart: Int32Array;
  private readonly cellPoints: Int32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;

  constructor(private readonly xy: Float32Array) {
    const n = xy.length / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xy[2 * i]!);
      maxX = Math.max(maxX, xy[2 * i]!);
      minY = Math.min(minY, xy[2 * i + 1]!);
      maxY = Math.max(maxY, xy[2 * i + 1]!);
    }
    if (n === 0) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
    // About four points a cell on average.
    const side = Math.max(1, Math.ceil(Math.sqrt(n / 4)));
    this.cell = Math.max((maxX - minX) / side, (maxY - minY) / side, 1e-12);
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.floor((maxX - minX) / this.cell) + 1;
    this.rows = Math.floor((maxY - minY) / this.cell) + 1;
    const cellOf = new Int32Array(n);
    this.cellStart = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.cellIndex(this.col(xy[2 * i]!), this.row(xy[2 * i + 1]!));
      this.cellStart[cellOf[i]! + 1]!++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) this.cellStart[c + 1]! += this.cellStart[c]!;
    const fill = this.cellStart.slice(0, -1);
    this.cellPoints = new Int32Array(n);
    for (let i = 0; i < n; i++) this.cellPoints[fill[cellOf[i]!]!++] = i;
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
  }
  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
  }
  private cellIndex(col: number, row: number): number {
    return row * this.cols + col;
  }

  /** The point nearest (x, y) within `radius` (data units), or −1; `accept` can rule points out. */
  nearest(x: number, y: number, radius: number, accept?: (i: number) => boolean): number {
    let best = -1;
    let bestD = radius * radius;
    this.visit(x - radius, y - radius, x + radius, y + radius, (i) => {
      const d = (this.xy[2 * i]! - x) ** 2 + (this.xy[2 * i + 1]! - y) ** 2;
      if (d <= bestD && (!accept || accept(i))) [best, bestD] = [i, d];
    });
    return best;
  }

  /** Every point inside the box, in index order. */
  inBox(x0: number, y0: number, x1: number, y1: number): number[] {
    const [lx, hx] = x0 < x1 ? [x0, x1] : [x1, x0];
    const [ly, hy] = y0 < y1 ? [y0, y1] : [y1, y0];
    const out: number[] = [];
    this.visit(lx, ly, hx, hy, (i) => {
      const px = this.xy[2 * i]!;
      const py = this.xy[2 * i + 1]!;
      if (px >= lx && px <= hx && py >= ly && py <= hy) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }

  private visit(x0: number, y0: number, x1: number, y1: number, each: (i: number) => void): void {
    const c0 = this.col(x0);
    const c1 = this.col(x1);
    const r0 = this.row(y0);
    const r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = this.cellIndex(c, r);
        for (let k = this.cellStart[cell]!; k < this.cellStart[cell + 1]!; k++) each(this.cellPoints[k]!);
      }
    }
  }
}
