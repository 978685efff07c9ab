/**
 * scatter-bench.html: the browser half of bench/scatter.ts. Mounts the map's ScatterPlot with
 * `points` seeded points in clusters (a latent map's look), drags it one step per frame and times
 * the work of each frame — handling the pointer event, then the frame's drawing up to its end — and
 * the interval between frames. Writes the figures into #result as JSON.
 */
import { createRoot } from 'react-dom/client';
import { ScatterPlot } from '../../src/components/scatter/ScatterPlot';
import { packColor } from '../../src/components/scatter/scatterRaster';

export interface ScatterBenchResult {
  points: number;
  frames: number;
  width: number;
  height: number;
  /** ms of work per frame: handling the pointer event, plus the frame's drawing */
  workMs: number[];
  /** ms between consecutive frames while panning */
  intervalMs: number[];
}

const params = new URLSearchParams(location.search);
const n = Number(params.get('points') ?? 65536);
const frames = Number(params.get('frames') ?? 120);
const status = document.getElementById('status')!;

/** mulberry32: the same points on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(7);
const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
const xy = new Float32Array(2 * n);
const colors = new Uint32Array(n);
const centres = Array.from({ length: 40 }, () => [gauss() * 30, gauss() * 30] as const);
for (let i = 0; i < n; i++) {
  const c = centres[i % centres.length]!;
  xy[2 * i] = c[0] + gauss() * 3;
  xy[2 * i + 1] = c[1] + gauss() * 3;
  colors[i] = packColor(40 + ((i * 37) % 200), 90 + ((i * 17) % 120), 160 + ((i * 7) % 90));
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function run(): Promise<void> {
  const height = 600;
  createRoot(document.getElementById('plot')!).render(<ScatterPlot xy={xy} colors={colors} describe={(i) => `#${i}`} label="benchmark points" height={height} />);
  let canvas: HTMLCanvasElement | null = null;
  while (!canvas || canvas.width === 0) {
    await frame();
    canvas = document.querySelector('canvas');
  }
  for (let i = 0; i < 10; i++) await frame();
  const rect = canvas.getBoundingClientRect();
  const y = rect.top + rect.height / 2;
  let x = rect.left + rect.width / 2;
  canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: x, clientY: y, button: 0, bubbles: true, view: window }));
  const workMs: number[] = [];
  const intervalMs: number[] = [];
  let last = await frame();
  for (let f = 0; f < frames; f++) {
    x += f % 60 < 30 ? 4 : -4;
    // d3-zoom follows the drag on the window (timed: the event's handling); the plot draws in its next
    // animation frame, and this frame callback, registered after the plot's, runs once that drawing is
    // done (timed: from the frame's start). The wait for the frame between the two is not work.
    const start = performance.now();
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, button: 0, bubbles: true, view: window }));
    const handled = performance.now() - start;
    const { at, drawn } = await new Promise<{ at: number; drawn: number }>((resolve) => requestAnimationFrame((t) => resolve({ at: t, drawn: performance.now() - t })));
    workMs.push(handled + drawn);
    intervalMs.push(at - last);
    last = at;
  }
  window.dispatchEvent(new MouseEvent('mouseup', { clientX: x, clientY: y, button: 0, bubbles: true, view: window }));
  const result: ScatterBenchResult = { points: n, frames, width: canvas.width, height: canvas.height, workMs, intervalMs };
  document.getElementById('result')!.textContent = JSON.stringify(result);
  status.textContent = 'Done.';
}

run().catch((err: unknown) => {
  status.textContent = `Failed: ${err instanceof Error ? err.message : String(err)}`;
});
