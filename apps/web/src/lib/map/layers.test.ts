import { describe, expect, it } from 'vitest';
import type { ChartTelemetry, TrackPoint } from '$lib/api/types.js';
import { dimOutside, finiteRange, flightLayers, gridLines, metricValues, neutralStyle, positionAt, rampColor, trackBounds, vertexColors } from './layers.js';

const track: TrackPoint[] = [
  [-106.2, 39.96, 0, 0],
  [-106.2, 39.961, 10, 1000],
  [-106.199, 39.961, 30, 2000],
];

describe('colours', () => {
  it('ramp from blue-ish at 0 to red-ish at 1 and clamp outside', () => {
    expect(rampColor(0)).toEqual([48, 123, 244]);
    expect(rampColor(1)).toEqual([218, 57, 7]);
    expect(rampColor(2)).toEqual(rampColor(1));
  });
  it('give one colour per vertex, scaled to the metric range', () => {
    const c = vertexColors([0, 15, 30], 'height');
    expect(c).toHaveLength(3);
    expect(c[0]!.slice(0, 3)).toEqual(rampColor(0));
    expect(c[2]!.slice(0, 3)).toEqual(rampColor(1));
    expect(c[1]![3]).toBe(255);
  });
  it('colour a flat metric in the middle and unknown values grey', () => {
    expect(vertexColors([5, 5], 'height')[0]!.slice(0, 3)).toEqual(rampColor(0.5));
    expect(vertexColors([NaN, NaN], 'speed')[0]).toEqual([150, 150, 150, 255]);
  });
  it('scale battery on 0–100 % regardless of the flight', () => {
    expect(vertexColors([100], 'battery')[0]!.slice(0, 3)).toEqual([34, 197, 94]);
  });
});

describe('metricValues', () => {
  const tel: ChartTelemetry = { t: [0, 1000, 2000], series: { horizontalSpeedMps: [0, 4, 8], batteryPercent: [90, null, 88] }, cells: null, points: 3, totalPoints: 3 };
  it('reads height from the track and other metrics from telemetry at the same time', () => {
    expect(metricValues(track, 'height')).toEqual([0, 10, 30]);
    expect(metricValues(track, 'speed', tel)).toEqual([0, 4, 8]);
    expect(metricValues(track, 'battery', tel)).toEqual([90, NaN, 88]);
    expect(metricValues(track, 'progress')).toEqual([0, 1000, 2000]);
  });
  it('is NaN without telemetry', () => {
    expect(metricValues(track, 'distance', null).every(Number.isNaN)).toBe(true);
  });
  it('finiteRange skips NaN', () => {
    expect(finiteRange([NaN, 3, 1])).toEqual([1, 3]);
    expect(finiteRange([NaN])).toBeNull();
  });
});

describe('dimOutside', () => {
  it('fades the path outside the zoomed time window and keeps it whole without one', () => {
    const colors = vertexColors([0, 10, 30], 'height');
    expect(dimOutside(colors, track, null)).toBe(colors);
    const dimmed = dimOutside(colors, track, [500, 1500], 40);
    expect(dimmed.map((c) => c[3])).toEqual([40, 255, 40]);
    expect(dimmed[1]).toEqual(colors[1]);
  });
});

describe('positionAt', () => {
  it('interpolates between track points by time', () => {
    const p = positionAt(track, 500)!;
    expect(p.lat).toBeCloseTo(39.9605, 6);
    expect(p.heightM).toBeCloseTo(5);
    expect(p.bearing).toBeCloseTo(0, 0); // heading north
  });
  it('clamps before the start and after the end', () => {
    expect(positionAt(track, -100)).toMatchObject({ lon: -106.2, lat: 39.96, index: 0 });
    expect(positionAt(track, 99_999)).toMatchObject({ heightM: 30, index: 2 });
    expect(positionAt([], 0)).toBeNull();
  });
  it('heads east on the eastward leg', () => {
    expect(positionAt(track, 1500)!.bearing).toBeCloseTo(90, 0);
  });
});

describe('bounds and grid', () => {
  it('bounds cover track and extra points', () => {
    expect(trackBounds(track, [[-106.3, 39.9]])).toEqual([-106.3, 39.9, -106.199, 39.961]);
    expect(trackBounds([])).toBeNull();
  });
  it('picks a round grid step for the flight size', () => {
    const g = gridLines([-106.2, 39.96, -106.19, 39.97]);
    expect([50, 100, 200, 500]).toContain(g.stepM);
    expect(g.geojson.features.length).toBeGreaterThan(8);
    expect(g.geojson.features[0]!.geometry.type).toBe('LineString');
  });
  it('neutral style loads nothing from the network', () => {
    const s = neutralStyle('dark', gridLines([0, 0, 0.01, 0.01]).geojson);
    const json = JSON.stringify(s);
    expect(json).not.toMatch(/https?:/);
    expect(s.layers.map((l) => l.id)).toEqual(['background', 'grid']);
    expect('glyphs' in s).toBe(false);
  });
});

describe('flightLayers', () => {
  it('draws path at altitude, its shadow, start/end/home and the aircraft', () => {
    const layers = flightLayers({ track, colors: vertexColors([0, 10, 30], 'height'), home: { lon: -106.2, lat: 39.96 }, marker: positionAt(track, 1000) });
    expect(layers.map((l) => l.props.id)).toEqual(['flight-shadow', 'flight-path', 'flight-pick', 'flight-points', 'aircraft-drop', 'aircraft']);
    expect(layers[2]!.props.pickable).toBe(true);
    const path = layers[1]!.props.data as Array<{ path: number[][] }>;
    expect(path[0]!.path[2]).toEqual([-106.199, 39.961, 30]);
    const shadow = layers[0]!.props.data as Array<{ path: number[][] }>;
    expect(shadow[0]!.path.every((p) => p[2] === 0)).toBe(true);
    const points = layers[3]!.props.data as Array<{ id: string }>;
    expect(points.map((p) => p.id)).toEqual(['home', 'start', 'end']);
  });
  it('has no path for a flight without GPS and no aircraft without a position', () => {
    const layers = flightLayers({ track: [], colors: [], home: null, marker: null });
    expect(layers.map((l) => l.props.id)).toEqual(['flight-points']);
  });
});
