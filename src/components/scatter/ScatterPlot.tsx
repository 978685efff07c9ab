import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { PointGrid } from './pointGrid';
import { fitTransform, packColor, rasterise, type ViewTransform } from './scatterRaster';
import './scatter.css';

export interface ScatterPlotProps {
  /** [n, 2] point coordinates, in any units (the plot fits them to its box) */
  xy: Float32Array;
  /** [n] one ImageData word per point (packColor) */
  colors: Uint32Array;
  /** points drawn on top, larger, with the others faded: index → radius in CSS pixels */
  highlight?: ReadonlyMap<number, number>;
  /** point radius in CSS pixels @default 2.5 */
  radius?: number;
  /** the tooltip's content for a hovered point */
  describe(index: number): ReactNode;
  /** a point was clicked */
  onPick?(index: number): void;
  /** shift-drag drew a box: the points inside it */
  onSelect?(indices: number[]): void;
  /** what the plot shows, for screen readers */
  label: string;
  /** @default 520 */
  height?: number;
}

/** Hover reach around a point, in CSS pixels. */
const HIT_RADIUS = 6;
const PAD = 16;
/** Room a tooltip needs above its point; nearer the top it goes below. */
const TIP_ROOM = 72;

interface Hover {
  index: number;
  left: number;
  top: number;
}

/**
 * Thousands of points on one canvas: drag to pan, wheel to zoom, hover for a tooltip, click to
 * pick, shift-drag to select a box. Points are stamped into the pixels (scatterRaster.ts), one frame
 * per animation frame at most.
 */
export function ScatterPlot({ xy, colors, highlight, radius = 2.5, describe, onPick, onSelect, label, height = 520 }: ScatterPlotProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const zoomRef = useRef<ZoomTransform>(zoomIdentity);
  const zoomBehaviour = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const frame = useRef(0);
  const grid = useMemo(() => new PointGrid(xy), [xy]);
  const base = useMemo(() => (width > 0 ? fitTransform(xy, width, height, PAD) : null), [xy, width, height]);

  /** Data → CSS pixels: the fitted transform, then the reader's pan and zoom. */
  const view = (): ViewTransform | null => {
    if (!base) return null;
    const z = zoomRef.current;
    return { k: base.k * z.k, tx: base.tx * z.k + z.x, ty: base.ty * z.k + z.y };
  };

  const faded = useMemo(() => {
    const out = new Uint32Array(colors.length);
    const src = new Uint8Array(colors.buffer, colors.byteOffset, colors.byteLength);
    for (let i = 0; i < colors.length; i++) {
      // A quarter of the colour over white: still readable, clearly behind the highlighted points.
      const [r, g, b] = [src[4 * i]!, src[4 * i + 1]!, src[4 * i + 2]!];
      out[i] = packColor(191 + r / 4, 191 + g / 4, 191 + b / 4);
    }
    return out;
  }, [colors]);

  const draw = () => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const t = view();
    if (!canvas || !t || width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(w, h);
    const pixels = new Uint32Array(image.data.buffer);
    const scaled = { k: t.k * dpr, tx: t.tx * dpr, ty: t.ty * dpr };
    const lit = highlight && highlight.size > 0;
    rasterise(pixels, w, h, scaled, { xy, colors: lit ? faded : colors, radius: radius * dpr });
    if (lit) {
      const order = [...highlight.keys()].sort((a, b) => highlight.get(a)! - highlight.get(b)!);
      const ring = new Uint32Array(colors.length).fill(packColor(20, 20, 20));
      const rings = new Float32Array(colors.length);
      const radii = new Float32Array(colors.length);
      for (const i of order) {
        radii[i] = highlight.get(i)! * dpr;
        rings[i] = radii[i]! + dpr;
      }
      rasterise(pixels, w, h, scaled, { xy, colors: ring, radius: radius * dpr, order, radii: rings });
      rasterise(pixels, w, h, scaled, { xy, colors, radius: radius * dpr, order, radii });
    }
    ctx.putImageData(image, 0, 0);
  };
  const drawRef = useRef(draw);
  useLayoutEffect(() => {
    drawRef.current = draw;
  });
  const schedule = () => {
    if (!frame.current) frame.current = requestAnimationFrame(() => drawRef.current());
  };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() => setWidth(canvas.clientWidth));
    observer.observe(canvas);
    setWidth(canvas.clientWidth);
    const behaviour = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.5, 200])
      .filter((event: MouseEvent | WheelEvent) => !event.shiftKey && !(event as MouseEvent).button)
      .on('zoom', (event: { transform: ZoomTransform }) => {
        zoomRef.current = event.transform;
        setHover(null);
        schedule();
      });
    zoomBehaviour.current = behaviour;
    select(canvas).call(behaviour);
    return () => {
      observer.disconnect();
      select(canvas).on('.zoom', null);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
    // The canvas lives as long as the component; schedule reads the latest draw through drawRef.
  }, []);

  useEffect(schedule);

  const toData = (clientX: number, clientY: number) => {
    const canvas = canvasRef.current!;
    const rect = canvas.getBoundingClientRect();
    const t = view()!;
    const px = clientX - rect.left;
    const py = clientY - rect.top;
    return { px, py, x: (px - t.tx) / t.k, y: (py - t.ty) / t.k, k: t.k };
  };

  const pointAt = (clientX: number, clientY: number) => {
    if (!view()) return -1;
    const { x, y, k } = toData(clientX, clientY);
    const lit = highlight && highlight.size > 0;
    const reach = (HIT_RADIUS + (lit ? Math.max(...highlight.values()) : radius)) / k;
    return grid.nearest(x, y, reach);
  };

  return (
    <div className="scatter" style={{ height }}>
      <canvas
        ref={canvasRef}
        className="scatter__canvas"
        style={{ height }}
        role="img"
        aria-label={label}
        data-testid="scatter-canvas"
        onMouseMove={(e) => {
          if (box) {
            const { px, py } = toData(e.clientX, e.clientY);
            setBox({ ...box, x1: px, y1: py });
            return;
          }
          const i = pointAt(e.clientX, e.clientY);
          if (i < 0) return setHover(null);
          const t = view()!;
          setHover({ index: i, left: xy[2 * i]! * t.k + t.tx, top: xy[2 * i + 1]! * t.k + t.ty });
        }}
        onMouseLeave={() => setHover(null)}
        onMouseDown={(e) => {
          if (!e.shiftKey || !onSelect || !view()) return;
          const { px, py } = toData(e.clientX, e.clientY);
          setBox({ x0: px, y0: py, x1: px, y1: py });
        }}
        onMouseUp={() => {
          if (!box) return;
          const t = view()!;
          const data = (p: number, tt: number) => (p - tt) / t.k;
          onSelect?.(grid.inBox(data(box.x0, t.tx), data(box.y0, t.ty), data(box.x1, t.tx), data(box.y1, t.ty)));
          setBox(null);
        }}
        onClick={(e) => {
          if (e.shiftKey) return;
          const i = pointAt(e.clientX, e.clientY);
          if (i >= 0) onPick?.(i);
        }}
      />
      {box && (
        <div
          className="scatter__box"
          data-testid="scatter-box"
          style={{ left: Math.min(box.x0, box.x1), top: Math.min(box.y0, box.y1), width: Math.abs(box.x1 - box.x0), height: Math.abs(box.y1 - box.y0) }}
        />
      )}
      {hover && (
        <div className={`scatter__tip${hover.top < TIP_ROOM ? ' scatter__tip--below' : ''}`} role="tooltip" data-testid="scatter-tooltip" style={{ left: hover.left, top: hover.top }}>
          {describe(hover.index)}
        </div>
      )}
      <button
        type="button"
        className="scatter__reset chip"
        onClick={() => {
          const canvas = canvasRef.current;
          if (canvas && zoomBehaviour.current) select(canvas).call(zoomBehaviour.current.transform, zoomIdentity);
        }}
      >
        Reset view
      </button>
    </div>
  );
}
