/**
 * Drawing many points fast without WebGL: each point is stamped as a small disc straight into an
 * ImageData's pixels (a Uint32Array view), then the frame is put on the canvas once. 65,536 points
 * of radius 2 are ~1.4M pixel writes, a few milliseconds on one core, in any browser, headless or
 * not, with no GPU or software-GL path to depend on. Pure functions, tested in Node.
 */

/** Data → pixel mapping: px = x · k + tx, py = y · k + ty (y grows downward, as on screen). */
export interface ViewTransform {
  k: number;
  tx: number;
  ty: number;
}

/** The transform that fits `xy` ([n, 2]) into width × height, leaving `pad` pixels around. */
export function fitTransform(xy: Float32Array, width: number, height: number, pad: number): ViewTransform {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    if (xy[i]! < minX) minX = xy[i]!;
    if (xy[i]! > maxX) maxX = xy[i]!;
    if (xy[i + 1]! < minY) minY = xy[i + 1]!;
    if (xy[i + 1]! > maxY) maxY = xy[i + 1]!;
  }
  if (!(maxX >= minX)) return { k: 1, tx: width / 2, ty: height / 2 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const k = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  return { k, tx: width / 2 - ((minX + maxX) / 2) * k, ty: height / 2 - ((minY + maxY) / 2) * k };
}

/** The pixel offsets of a disc of radius r (r ≤ 0.5: one pixel). */
function discOffsets(r: number, width: number): Int32Array {
  const out: number[] = [];
  const R = Math.ceil(r);
  for (let dy = -R; dy <= R; dy++) for (let dx = -R; dx <= R; dx++) if (dx * dx + dy * dy <= r * r + 0.5) out.push(dy * width + dx);
  return Int32Array.from(out);
}

const discs = new Map<string, Int32Array>();

function disc(r: number, width: number): Int32Array {
  const key = `${r},${width}`;
  let offsets = discs.get(key);
  if (!offsets) {
    offsets = discOffsets(r, width);
    discs.set(key, offsets);
  }
  return offsets;
}

export interface RasterPoints {
  /** [n, 2] data coordinates */
  xy: Float32Array;
  /** [n] colours as ImageData words (0xAABBGGRR on little-endian machines: use packColor) */
  colors: Uint32Array;
  /** radius in pixels of every point */
  radius: number;
  /** which points to draw, in order (later ones on top); all, in index order, when absent */
  order?: ArrayLike<number>;
  /** per point radius overriding `radius` (e.g. sized by activation); 0 keeps `radius` */
  radii?: Float32Array;
}

/** Stamps the points into `pixels` (width × height, row-major), which the caller cleared. */
export function rasterise(pixels: Uint32Array, width: number, height: number, t: ViewTransform, points: RasterPoints): void {
  const { xy, colors, radius, order, radii } = points;
  const base = disc(radius, width);
  const R = Math.ceil(radius);
  const count = order ? order.length : xy.length / 2;
  for (let o = 0; o < count; o++) {
    const i = order ? order[o]! : o;
    const px = Math.round(xy[2 * i]! * t.k + t.tx);
    const py = Math.round(xy[2 * i + 1]! * t.k + t.ty);
    const r = radii?.[i] || radius;
    const reach = r === radius ? R : Math.ceil(r);
    if (px < -reach || py < -reach || px >= width + reach || py >= height + reach) continue;
    const color = colors[i]!;
    const offsets = r === radius ? base : disc(r, width);
    const centre = py * width + px;
    if (px >= reach && py >= reach && px < width - reach && py < height - reach) {
      for (let k = 0; k < offsets.length; k++) pixels[centre + offsets[k]!] = color;
    } else {
      // Near an edge: clip each pixel (a disc's offsets would wrap onto the next row).
      const ri = Math.ceil(r);
      for (let dy = -ri; dy <= ri; dy++) {
        const y = py + dy;
        if (y < 0 || y >= height) continue;
        for (let dx = -ri; dx <= ri; dx++) {
          const x = px + dx;
          if (x < 0 || x >= width || dx * dx + dy * dy > r * r + 0.5) continue;
          pixels[y * width + x] = color;
        }
      }
    }
  }
}

/** An ImageData word for r, g, b (0–255) and alpha (0–255), for the platform's byte order. */
export function packColor(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
