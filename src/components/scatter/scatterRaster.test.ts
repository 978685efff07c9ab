import { describe, expect, it } from 'vitest';
import { PointGrid } from './pointGrid';
import { fitTransform, packColor, rasterise } from './scatterRaster';

describe('drawing points into pixels', () => {
  it('fits the points inside the box, padding kept, centred', () => {
    const xy = new Float32Array([-1, -2, 3, 2]);
    const t = fitTransform(xy, 100, 60, 10);
    const px = (x: number) => x * t.k + t.tx;
    const py = (y: number) => y * t.k + t.ty;
    expect(py(-2)).toBeCloseTo(10);
    expect(py(2)).toBeCloseTo(50);
    expect((px(-1) + px(3)) / 2).toBeCloseTo(50);
  });

  it('stamps a disc of the point’s colour where the transform puts it, later points on top', () => {
    const pixels = new Uint32Array(20 * 10);
    const red = packColor(255, 0, 0);
    const blue = packColor(0, 0, 255);
    rasterise(pixels, 20, 10, { k: 1, tx: 0, ty: 0 }, { xy: new Float32Array([5, 5, 6, 5]), colors: Uint32Array.of(red, blue), radius: 1 });
    expect(pixels[5 * 20 + 4]).toBe(red);
    expect(pixels[4 * 20 + 5]).toBe(red);
    expect(pixels[5 * 20 + 5]).toBe(blue);
    expect(pixels[5 * 20 + 7]).toBe(blue);
    expect(pixels[5 * 20 + 9]).toBe(0);
    expect(pixels[0]).toBe(0);
  });

  it('clips discs at the edges instead of wrapping them onto the next row', () => {
    const pixels = new Uint32Array(10 * 10);
    const c = packColor(1, 2, 3);
    rasterise(pixels, 10, 10, { k: 1, tx: 0, ty: 0 }, { xy: new Float32Array([0, 5, 30, 30]), colors: Uint32Array.of(c, c), radius: 2 });
    expect(pixels[5 * 10 + 0]).toBe(c);
    expect(pixels[5 * 10 + 2]).toBe(c);
    expect(pixels[4 * 10 + 9]).toBe(0);
    expect(pixels[5 * 10 + 9]).toBe(0);
    expect(pixels.filter((p) => p === c).length).toBeGreaterThan(5);
  });

  it('draws only the points of `order`, each at its own radius', () => {
    const pixels = new Uint32Array(30 * 10);
    const c = packColor(9, 9, 9);
    const xy = new Float32Array([5, 5, 20, 5]);
    rasterise(pixels, 30, 10, { k: 1, tx: 0, ty: 0 }, { xy, colors: Uint32Array.of(c, c), radius: 1, order: [1], radii: new Float32Array([0, 3]) });
    expect(pixels[5 * 30 + 5]).toBe(0);
    expect(pixels[5 * 30 + 23]).toBe(c);
  });
});

describe('finding points under the pointer', () => {
  const xy = new Float32Array([0, 0, 1, 0, 10, 10, 10.5, 10, -5, 3]);
  const grid = new PointGrid(xy);

  it('gives the nearest point within reach, or none', () => {
    expect(grid.nearest(0.2, 0.1, 1)).toBe(0);
    expect(grid.nearest(10.4, 10, 1)).toBe(3);
    expect(grid.nearest(5, 5, 1)).toBe(-1);
    expect(grid.nearest(10.4, 10, 1, (i) => i !== 3)).toBe(2);
  });

  it('lists the points inside a box, whichever corners it is drawn from', () => {
    expect(grid.inBox(-1, -1, 2, 1)).toEqual([0, 1]);
    expect(grid.inBox(11, 11, -6, 2)).toEqual([2, 3, 4]);
  });
});
