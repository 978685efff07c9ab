import { describe, expect, it } from 'vitest';
import { packColor } from '../../components/scatter/scatterRaster';
import { argmaxRows, categoryColors, continuousColors, layoutClusters, NO_VALUE } from './mapColors';

describe('map colours', () => {
  it('spread values over viridis, on a log scale for densities; dead latents grey', () => {
    const colors = continuousColors([1e-5, 1e-3, 1e-1, 0], true);
    expect(colors[0]).toBe(packColor(68, 1, 84));
    expect(colors[2]).toBe(packColor(253, 231, 37));
    expect(colors[3]).toBe(NO_VALUE);
    expect(new Set(colors).size).toBe(4);
  });

  it('give each category its own colour', () => {
    const colors = categoryColors([0, 1, 0, -1]);
    expect(colors[0]).toBe(colors[2]);
    expect(colors[0]).not.toBe(colors[1]);
    expect(colors[3]).toBe(NO_VALUE);
  });

  it('find separated groups of the layout as clusters, the largest first, the same every time', () => {
    const xy: number[] = [];
    for (let i = 0; i < 30; i++) xy.push(100 + (i % 5), i % 6);
    for (let i = 0; i < 10; i++) xy.push(-100 + (i % 3), i % 2);
    const clusters = layoutClusters(new Float32Array(xy), 2);
    expect(new Set(clusters.slice(0, 30))).toEqual(new Set([0]));
    expect(new Set(clusters.slice(30))).toEqual(new Set([1]));
    expect(layoutClusters(new Float32Array(xy), 2)).toEqual(clusters);
  });

  it('name each latent’s strongest head, or none when it has no share at all', () => {
    expect(Array.from(argmaxRows(new Float32Array([0.1, 0.7, 0.2, 0, 0, 0, 0.5, 0.2, 0.3]), 3))).toEqual([1, -1, 0]);
  });
});
