import { interpolateBlues, rgb } from 'd3';
import { useEffect, useRef } from 'react';

export interface PatternCanvasProps {
  /** [T_dest, T_src] attention weights, row-major, starting at `offset` */
  patterns: Float32Array;
  offset: number;
  T: number;
  /** CSS pixels on a side, at most (it shrinks with a narrow screen) */
  size: number;
  /** a destination row drawn outlined */
  row?: number | null;
  label: string;
  /** the cell under the pointer, or null when it leaves */
  onHoverCell?(cell: { dest: number; src: number } | null): void;
}

/** The causal mask: sources after the destination, which the head cannot see. */
const MASKED = rgb('#e4e6ea');

/**
 * One head's pattern as a heat map, a pixel per (destination, source), scaled up without smoothing.
 * Weights are drawn on a square-root scale, so the faint spread of a diffuse head stays visible
 * beside a sharp one's single bright cell; the masked upper triangle is grey.
 */
export function PatternCanvas({ patterns, offset, T, size, row = null, label, onHoverCell }: PatternCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(T, T);
    for (let d = 0; d < T; d++) {
      for (let s = 0; s < T; s++) {
        const c = s > d ? MASKED : rgb(interpolateBlues(Math.sqrt(Math.max(0, patterns[offset + d * T + s]!))));
        const p = (d * T + s) * 4;
        image.data[p] = c.r;
        image.data[p + 1] = c.g;
        image.data[p + 2] = c.b;
        image.data[p + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }, [patterns, offset, T]);
  const cellAt = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const dest = Math.floor(((e.clientY - box.top) / box.height) * T);
    const src = Math.floor(((e.clientX - box.left) / box.width) * T);
    return dest >= 0 && dest < T && src >= 0 && src < T ? { dest, src } : null;
  };
  return (
    <div className="pattern-canvas" style={{ width: size }}>
      <canvas
        ref={canvas}
        width={T}
        height={T}
        role="img"
        aria-label={label}
        onMouseMove={onHoverCell && ((e) => onHoverCell(cellAt(e)))}
        onMouseLeave={onHoverCell && (() => onHoverCell(null))}
      />
      {/* drawn over the canvas, whose pixels are whole cells: a stroke inside it would smear over its neighbours */}
      {row !== null && row >= 0 && row < T && <div className="pattern-canvas__row" style={{ top: `${(row / T) * 100}%`, height: `${100 / T}%` }} />}
    </div>
  );
}
