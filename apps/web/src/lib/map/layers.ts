/**
 * Pure builders for the flight map: colour ramps, per-vertex colours, interpolated replay position,
 * the neutral (no-basemap) style with a metric grid, and deck.gl layer descriptors.
 * No maplibre / deck.gl runtime here: flight-map.action.ts turns descriptors into layers.
 */
import type { ChartTelemetry, TrackPoint } from '$lib/api/types.js';

export type RGB = [number, number, number];
/** Minimal GeoJSON shapes (avoids a dependency on @types/geojson). */
export interface LineFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'LineString'; coordinates: number[][] };
}
export interface LineCollection {
  type: 'FeatureCollection';
  features: LineFeature[];
}
export type RGBA = [number, number, number, number];

export const COLOR_METRICS = [
  { id: 'height', label: 'Height' },
  { id: 'speed', label: 'Speed' },
  { id: 'battery', label: 'Battery' },
  { id: 'distance', label: 'Distance from home' },
  { id: 'progress', label: 'Time' },
] as const;
export type ColorMetric = (typeof COLOR_METRICS)[number]['id'];

/** Perceptual ramp (turbo-like, trimmed of its darkest end so it reads on dark backgrounds). */
const RAMP: RGB[] = [
  [48, 123, 244],
  [27, 207, 212],
  [97, 252, 108],
  [210, 233, 53],
  [254, 155, 45],
  [218, 57, 7],
];
/** Battery reads better red (empty) → green (full). */
const BATTERY_RAMP: RGB[] = [
  [220, 38, 38],
  [245, 158, 11],
  [234, 179, 8],
  [132, 204, 22],
  [34, 197, 94],
];

export function rampColor(t: number, ramp: RGB[] = RAMP): RGB {
  if (!Number.isFinite(t)) return [128, 128, 128];
  const x = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  const a = ramp[i]!;
  const b = ramp[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** CSS gradient of a metric's ramp for the legend. */
export function rampCss(metric: ColorMetric): string {
  const ramp = metric === 'battery' ? BATTERY_RAMP : RAMP;
  return `linear-gradient(90deg, ${ramp.map((c, i) => `rgb(${c.join(',')}) ${Math.round((i / (ramp.length - 1)) * 100)}%`).join(', ')})`;
}

/** Sample index nearest to ms in a sorted array (binary search). */
export function nearest(t: ArrayLike<number>, ms: number): number {
  let lo = 0;
  let hi = t.length - 1;
  if (hi < 0) return -1;
  if (ms <= t[0]!) return 0;
  if (ms >= t[hi]!) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return ms - t[lo]! <= t[hi]! - ms ? lo : hi;
}

const FIELD_OF: Record<Exclude<ColorMetric, 'height' | 'progress'>, string> = {
  speed: 'horizontalSpeedMps',
  battery: 'batteryPercent',
  distance: 'distanceFromHomeM',
};

/** One value per track point for the chosen metric (SI). Telemetry is looked up by time. */
export function metricValues(track: TrackPoint[], metric: ColorMetric, telemetry?: ChartTelemetry | null): number[] {
  if (metric === 'height') return track.map((p) => p[2]);
  if (metric === 'progress') return track.map((p) => p[3]);
  const col = telemetry?.series[FIELD_OF[metric]];
  if (!telemetry || !col) return track.map(() => NaN);
  return track.map((p) => {
    const i = nearest(telemetry.t, p[3]);
    const v = i >= 0 ? col[i] : null;
    return v === null || v === undefined ? NaN : v;
  });
}

export function finiteRange(values: number[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? null : [lo, hi];
}

/** Per-vertex colours for the path. A flat metric gets the ramp's middle colour. */
export function vertexColors(values: number[], metric: ColorMetric, alpha = 255): RGBA[] {
  const range = metric === 'battery' ? ([0, 100] as [number, number]) : finiteRange(values);
  const ramp = metric === 'battery' ? BATTERY_RAMP : RAMP;
  return values.map((v) => {
    if (!range) return [150, 150, 150, alpha];
    const span = range[1] - range[0];
    const t = span > 0 ? (v - range[0]) / span : 0.5;
    return [...rampColor(t, ramp), alpha] as RGBA;
  });
}

/**
 * Dim the path outside a time window (the charts' zoom), so the map shows where the zoomed part was
 * flown. Returns the same array when there is no window.
 */
export function dimOutside(colors: RGBA[], track: TrackPoint[], windowMs: [number, number] | null, alpha = 50): RGBA[] {
  if (!windowMs) return colors;
  const [from, to] = windowMs;
  return colors.map((c, i) => {
    const t = track[i]?.[3] ?? 0;
    return t >= from && t <= to ? c : [c[0], c[1], c[2], alpha];
  });
}

export interface ReplayPosition {
  lon: number;
  lat: number;
  heightM: number;
  /** Heading in degrees clockwise from north (from the direction of travel). */
  bearing: number;
  index: number;
}

/** Position on the track at time ms, interpolated between points. */
export function positionAt(track: TrackPoint[], ms: number): ReplayPosition | null {
  const n = track.length;
  if (n === 0) return null;
  const first = track[0]!;
  if (n === 1 || ms <= first[3]) return { lon: first[0], lat: first[1], heightM: first[2], bearing: n > 1 ? bearingOf(first, track[1]!) : 0, index: 0 };
  const last = track[n - 1]!;
  if (ms >= last[3]) return { lon: last[0], lat: last[1], heightM: last[2], bearing: bearingOf(track[n - 2]!, last), index: n - 1 };
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (track[mid]![3] <= ms) lo = mid;
    else hi = mid;
  }
  const a = track[lo]!;
  const b = track[hi]!;
  const f = b[3] > a[3] ? (ms - a[3]) / (b[3] - a[3]) : 0;
  return {
    lon: a[0] + (b[0] - a[0]) * f,
    lat: a[1] + (b[1] - a[1]) * f,
    heightM: a[2] + (b[2] - a[2]) * f,
    bearing: bearingOf(a, b),
    index: f < 0.5 ? lo : hi,
  };
}

function bearingOf(a: TrackPoint, b: TrackPoint): number {
  const toRad = Math.PI / 180;
  const y = Math.sin((b[0] - a[0]) * toRad) * Math.cos(b[1] * toRad);
  const x = Math.cos(a[1] * toRad) * Math.sin(b[1] * toRad) - Math.sin(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.cos((b[0] - a[0]) * toRad);
  return ((Math.atan2(y, x) / toRad) + 360) % 360;
}

export type Bounds = [west: number, south: number, east: number, north: number];

export function trackBounds(track: TrackPoint[], extra: Array<[number, number]> = []): Bounds | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const add = (lon: number, lat: number) => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  };
  for (const p of track) add(p[0], p[1]);
  for (const [lon, lat] of extra) add(lon, lat);
  return w === Infinity ? null : [w, s, e, n];
}

const NICE_STEPS_M = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];
const M_PER_DEG_LAT = 111_320;

/** A square metric grid around the bounds (padded), ~6–14 lines each way, as GeoJSON lines. */
export function gridLines(bounds: Bounds, padFactor = 1.5): { stepM: number; geojson: LineCollection } {
  const [w, s, e, n] = bounds;
  const midLat = (s + n) / 2;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((midLat * Math.PI) / 180) || 1;
  const spanM = Math.max((e - w) * mPerDegLon, (n - s) * M_PER_DEG_LAT, 50) * padFactor;
  const stepM = NICE_STEPS_M.find((st) => spanM / st <= 12) ?? NICE_STEPS_M[NICE_STEPS_M.length - 1]!;
  const stepLat = stepM / M_PER_DEG_LAT;
  const stepLon = stepM / mPerDegLon;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const half = Math.ceil(spanM / stepM / 2) + 1;
  const features: LineFeature[] = [];
  const lat0 = Math.round(cy / stepLat) * stepLat;
  const lon0 = Math.round(cx / stepLon) * stepLon;
  const latMin = lat0 - half * stepLat;
  const latMax = lat0 + half * stepLat;
  const lonMin = lon0 - half * stepLon;
  const lonMax = lon0 + half * stepLon;
  for (let i = -half; i <= half; i++) {
    const lon = lon0 + i * stepLon;
    features.push({ type: 'Feature', properties: { axis: 'ns' }, geometry: { type: 'LineString', coordinates: [[lon, latMin], [lon, latMax]] } });
    const lat = lat0 + i * stepLat;
    features.push({ type: 'Feature', properties: { axis: 'ew' }, geometry: { type: 'LineString', coordinates: [[lonMin, lat], [lonMax, lat]] } });
  }
  return { stepM, geojson: { type: 'FeatureCollection', features } };
}

/**
 * The map style when no basemap is configured: a plain background and the metric grid. No sources
 * that load anything over the network (no tiles, glyphs or sprites).
 */
export function neutralStyle(theme: 'dark' | 'light', grid: LineCollection | null) {
  const dark = theme === 'dark';
  return {
    version: 8 as const,
    sources: grid ? { grid: { type: 'geojson' as const, data: grid } } : {},
    layers: [
      { id: 'background', type: 'background' as const, paint: { 'background-color': dark ? '#0b1220' : '#eef2f7' } },
      ...(grid
        ? [
            {
              id: 'grid',
              type: 'line' as const,
              source: 'grid',
              paint: { 'line-color': dark ? 'rgba(148,163,184,0.18)' : 'rgba(71,85,105,0.2)', 'line-width': 1 },
            },
          ]
        : []),
    ],
  };
}

export interface LayerDescriptor {
  type: 'PathLayer' | 'ScatterplotLayer' | 'LineLayer';
  props: Record<string, unknown>;
}

export interface FlightLayersInput {
  track: TrackPoint[];
  colors: RGBA[];
  home: { lon: number; lat: number } | null;
  marker: ReplayPosition | null;
  theme?: 'dark' | 'light';
  widthPx?: number;
}

/** Path at altitude with per-vertex colours, its ground shadow, drop lines, start/end/home, the aircraft. */
export function flightLayers(input: FlightLayersInput): LayerDescriptor[] {
  return [...staticLayers(input), ...markerLayers(input.marker)];
}

/**
 * The layers that change only with the flight, colours or theme. Built once and reused while the
 * replay moves the marker, so deck.gl does not recompute path attributes every frame.
 */
export function staticLayers(input: Omit<FlightLayersInput, 'marker'>): LayerDescriptor[] {
  const { track, colors, home } = input;
  const width = input.widthPx ?? 3;
  // Opaque shadow: a translucent one darkens where the path crosses or turns back on itself.
  const shadow: RGBA = input.theme === 'light' ? [196, 203, 214, 255] : [30, 41, 59, 255];
  const first = track[0];
  const last = track[track.length - 1];
  const layers: LayerDescriptor[] = [];
  if (track.length >= 2) {
    layers.push({
      type: 'PathLayer',
      props: {
        id: 'flight-shadow',
        data: [{ path: track.map((p) => [p[0], p[1], 0]) }],
        getPath: (d: { path: number[][] }) => d.path,
        getColor: shadow,
        getWidth: width,
        widthUnits: 'pixels',
        positionFormat: 'XYZ',
        parameters: { depthTest: false },
      },
    });
    layers.push({
      type: 'PathLayer',
      props: {
        id: 'flight-path',
        data: [{ path: track.map((p) => [p[0], p[1], p[2]]), colors }],
        getPath: (d: { path: number[][] }) => d.path,
        getColor: (d: { colors: RGBA[] }) => d.colors,
        getWidth: width,
        widthUnits: 'pixels',
        widthMinPixels: 2,
        jointRounded: true,
        capRounded: true,
        positionFormat: 'XYZ',
        updateTriggers: { getColor: [colors] },
      },
    });
  }
  const points: Array<{ id: string; position: number[]; color: RGBA; radius: number }> = [];
  if (home) points.push({ id: 'home', position: [home.lon, home.lat, 0], color: [250, 204, 21, 255], radius: 7 });
  if (first) points.push({ id: 'start', position: [first[0], first[1], first[2]], color: [34, 197, 94, 255], radius: 6 });
  if (last && track.length > 1) points.push({ id: 'end', position: [last[0], last[1], last[2]], color: [239, 68, 68, 255], radius: 6 });
  if (track.length >= 2) {
    // Invisible, pickable vertices: clicking the path seeks the replay to that point.
    layers.push({
      type: 'ScatterplotLayer',
      props: {
        id: 'flight-pick',
        data: track,
        getPosition: (d: TrackPoint) => [d[0], d[1], d[2]],
        getFillColor: [0, 0, 0, 0],
        getRadius: 7,
        radiusUnits: 'pixels',
        pickable: true,
        parameters: { depthTest: false },
      },
    });
  }
  layers.push({
    type: 'ScatterplotLayer',
    props: {
      id: 'flight-points',
      data: points,
      getPosition: (d: { position: number[] }) => d.position,
      getFillColor: (d: { color: RGBA }) => d.color,
      getRadius: (d: { radius: number }) => d.radius,
      radiusUnits: 'pixels',
      stroked: true,
      getLineColor: [15, 23, 42, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      parameters: { depthTest: false },
    },
  });
  return layers;
}

/** The aircraft and its drop line at the replay position. */
export function markerLayers(marker: ReplayPosition | null): LayerDescriptor[] {
  const layers: LayerDescriptor[] = [];
  if (marker) {
    layers.push({
      type: 'LineLayer',
      props: {
        id: 'aircraft-drop',
        data: [{ from: [marker.lon, marker.lat, 0], to: [marker.lon, marker.lat, marker.heightM] }],
        getSourcePosition: (d: { from: number[] }) => d.from,
        getTargetPosition: (d: { to: number[] }) => d.to,
        getColor: [255, 255, 255, 160],
        getWidth: 1.5,
        widthUnits: 'pixels',
      },
    });
    layers.push({
      type: 'ScatterplotLayer',
      props: {
        id: 'aircraft',
        data: [{ position: [marker.lon, marker.lat, marker.heightM] }],
        getPosition: (d: { position: number[] }) => d.position,
        getFillColor: [255, 255, 255, 255],
        getRadius: 8,
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: [14, 165, 233, 255],
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
        parameters: { depthTest: false },
        updateTriggers: { getPosition: [marker.lon, marker.lat, marker.heightM] },
      },
    });
  }
  return layers;
}
