import { describe, expect, it } from 'vitest';
import { clusterPoints, clusterRadius, fitView, graticule, mercator, mercatorLat, metresPerPixel, scaleBar, toScreen } from './takeoff-map.js';
import type { TakeoffPoint } from '@dronelog/contracts';

describe('mercator', () => {
  it('maps the world to the unit square and back', () => {
    expect(mercator(0, 0)).toEqual([0.5, 0.5]);
    expect(mercator(-180, 0)[0]).toBe(0);
    expect(mercator(90, 0)[0]).toBe(0.75);
    expect(mercator(0, 60)[1]).toBeLessThan(0.5); // north is up
    expect(mercatorLat(mercator(10, 46.5)[1])).toBeCloseTo(46.5, 9);
  });
});

describe('fitView', () => {
  it('fits every point inside the padding, keeping the aspect', () => {
    const pts = [mercator(6.6, 46.5), mercator(-122.4, 37.8), mercator(-9.5, 38.8)];
    const v = fitView(pts, 600, 300, 20);
    for (const [x, y] of pts) {
      const [sx, sy] = toScreen(v, x, y);
      expect(sx).toBeGreaterThanOrEqual(19.999);
      expect(sx).toBeLessThanOrEqual(580.001);
      expect(sy).toBeGreaterThanOrEqual(19.999);
      expect(sy).toBeLessThanOrEqual(280.001);
    }
  });

  it('centres a single point with a minimum span', () => {
    const p = mercator(6.6, 46.5);
    const v = fitView([p], 400, 200);
    const [sx, sy] = toScreen(v, p[0], p[1]);
    expect(sx).toBeCloseTo(200, 6);
    expect(sy).toBeCloseTo(100, 6);
    expect(metresPerPixel(v)).toBeGreaterThan(1); // not zoomed in to centimetres
  });
});

describe('clusterPoints', () => {
  const pts: TakeoffPoint[] = [
    [1, 46.5, 6.6],
    [2, 46.5001, 6.6001],
    [3, 37.8, -122.4],
  ];

  it('groups points that share a screen cell and keeps the others apart', () => {
    const v = fitView(pts.map(([, lat, lon]) => mercator(lon, lat)), 800, 400);
    const cs = clusterPoints(pts, v);
    expect(cs).toHaveLength(2);
    expect(cs.at(-1)!.ids.sort()).toEqual([1, 2]); // largest last (drawn on top)
    expect(cs[0]!.ids).toEqual([3]);
  });

  it('splits a group when zoomed in on it, and leaves out points outside the view', () => {
    const v = fitView([mercator(6.6, 46.5), mercator(6.6001, 46.5001)], 800, 400);
    const cs = clusterPoints(pts, v, 10);
    expect(cs.map((c) => c.ids.length)).toEqual([1, 1]);
  });
});

describe('clusterRadius and scaleBar', () => {
  it('grows circles with the square root of the count, bounded', () => {
    expect(clusterRadius(1)).toBe(5);
    expect(clusterRadius(5)).toBe(11);
    expect(clusterRadius(10_000)).toBe(22);
  });

  it('picks a round length that fits', () => {
    expect(scaleBar(10, 100)).toEqual({ metres: 1000, px: 100 });
    expect(scaleBar(7, 100)).toEqual({ metres: 500, px: 500 / 7 });
    expect(scaleBar(0.3, 100).metres).toBe(20);
  });
});

describe('graticule', () => {
  it('draws round meridians and parallels inside the view, labelled by hemisphere', () => {
    const v = fitView([mercator(-122.4, 37.8), mercator(6.6, 46.5)], 800, 400, 20);
    const g = graticule(v);
    expect(g.meridians.length).toBeGreaterThanOrEqual(2);
    expect(g.meridians.length).toBeLessThanOrEqual(6);
    for (const m of g.meridians) {
      expect(m.px).toBeGreaterThanOrEqual(0);
      expect(m.px).toBeLessThanOrEqual(800);
    }
    expect(g.meridians.some((m) => m.label.endsWith('W'))).toBe(true);
    expect(g.parallels.every((p) => /^\d+°N$/.test(p.label))).toBe(true);
  });

  it('uses fine steps with decimals when zoomed in', () => {
    const v = fitView([mercator(6.62, 46.505), mercator(6.63, 46.51)], 600, 300);
    const g = graticule(v);
    expect(g.meridians[0]!.label).toMatch(/^6\.\d{2,3}°E$/);
  });
});
