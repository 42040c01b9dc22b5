/**
 * The take-off points map of the overview, without a basemap: Web Mercator projection, a view fitted to
 * the points, grid clustering in screen space and a scale bar. Pure (tested in node); the component draws SVG.
 */
import type { TakeoffPoint } from '@dronelog/contracts';

/** Mercator x/y in [0, 1] (x east, y south), the unit square of the world. */
export function mercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05, Math.min(85.05, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

/** Latitude of a mercator y. */
export function mercatorLat(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

/** A view: mercator x/y of the top-left corner and mercator units per pixel. */
export interface MapView {
  x0: number;
  y0: number;
  scale: number;
  width: number;
  height: number;
}

/** Smallest span shown (≈ 600 m at the equator), so one point or a tight group is not a single pixel zoomed in. */
export const MIN_SPAN = 600 / 40_075_016;

/** Fit mercator points into width × height with `pad` pixels around them, keeping the aspect. */
export function fitView(points: readonly [number, number][], width: number, height: number, pad = 24): MapView {
  if (points.length === 0) return { x0: 0, y0: 0, scale: 1 / Math.max(1, width), width, height };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const spanX = Math.max(maxX - minX, MIN_SPAN);
  const spanY = Math.max(maxY - minY, MIN_SPAN);
  const innerW = Math.max(1, width - 2 * pad);
  const innerH = Math.max(1, height - 2 * pad);
  const scale = Math.max(spanX / innerW, spanY / innerH);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return { x0: cx - (width / 2) * scale, y0: cy - (height / 2) * scale, scale, width, height };
}

export function toScreen(v: MapView, x: number, y: number): [number, number] {
  return [(x - v.x0) / v.scale, (y - v.y0) / v.scale];
}

export interface Cluster {
  /** Screen position (mean of the members). */
  sx: number;
  sy: number;
  ids: number[];
  /** Mercator bounds of the members [minX, minY, maxX, maxY]. */
  bounds: [number, number, number, number];
}

/**
 * Group points that fall into the same `cellPx` screen cell. Points outside the view are left out.
 * Clusters come back largest last, so they are drawn on top.
 */
export function clusterPoints(points: readonly TakeoffPoint[], view: MapView, cellPx = 28): Cluster[] {
  const cells = new Map<string, { sx: number; sy: number; ids: number[]; b: [number, number, number, number] }>();
  for (const [id, lat, lon] of points) {
    const [x, y] = mercator(lon, lat);
    const [sx, sy] = toScreen(view, x, y);
    if (sx < 0 || sy < 0 || sx > view.width || sy > view.height) continue;
    const key = `${Math.floor(sx / cellPx)}:${Math.floor(sy / cellPx)}`;
    const c = cells.get(key);
    if (c) {
      c.sx += sx;
      c.sy += sy;
      c.ids.push(id);
      c.b = [Math.min(c.b[0], x), Math.min(c.b[1], y), Math.max(c.b[2], x), Math.max(c.b[3], y)];
    } else {
      cells.set(key, { sx, sy, ids: [id], b: [x, y, x, y] });
    }
  }
  return [...cells.values()]
    .map((c) => ({ sx: c.sx / c.ids.length, sy: c.sy / c.ids.length, ids: c.ids, bounds: c.b }))
    .sort((a, b) => a.ids.length - b.ids.length);
}

/** Radius of a cluster's circle: grows with the square root of its size, bounded. */
export function clusterRadius(count: number): number {
  return Math.min(22, 5 + Math.sqrt(Math.max(1, count) - 1) * 3);
}

/** Metres per pixel at the view's centre latitude. */
export function metresPerPixel(v: MapView): number {
  const lat = mercatorLat(v.y0 + (v.height / 2) * v.scale);
  return v.scale * 40_075_016 * Math.cos((lat * Math.PI) / 180);
}

/** A scale bar of a round length (1, 2 or 5 × 10ⁿ metres) at most `maxPx` wide. */
export function scaleBar(mPerPx: number, maxPx = 100): { metres: number; px: number } {
  const maxM = mPerPx * maxPx;
  const pow = 10 ** Math.floor(Math.log10(maxM));
  const step = [5, 2, 1].map((k) => k * pow).find((m) => m <= maxM) ?? pow;
  return { metres: step, px: step / mPerPx };
}

export interface GraticuleLine {
  /** Screen position: x for a meridian, y for a parallel. */
  px: number;
  label: string;
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 45, 90];

function degLabel(v: number, pos: string, neg: string, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  const a = Math.abs(v);
  return `${a.toFixed(decimals)}°${v === 0 ? '' : v > 0 ? pos : neg}`;
}

/** Meridians and parallels at a round step, about `target` of each across the view, for orientation without a basemap. */
export function graticule(v: MapView, target = 5): { meridians: GraticuleLine[]; parallels: GraticuleLine[] } {
  const lonW = v.x0 * 360 - 180;
  const lonE = (v.x0 + v.width * v.scale) * 360 - 180;
  const latN = mercatorLat(v.y0);
  const latS = mercatorLat(v.y0 + v.height * v.scale);
  const pick = (span: number) => STEPS.find((s) => span / s <= target) ?? 90;
  const lonStep = pick(lonE - lonW);
  const latStep = pick(latN - latS);
  const meridians: GraticuleLine[] = [];
  for (let lon = Math.ceil(lonW / lonStep) * lonStep; lon <= lonE; lon += lonStep) {
    const x = (mercator(lon, 0)[0] - v.x0) / v.scale;
    meridians.push({ px: x, label: degLabel(Math.round(lon / lonStep) * lonStep, 'E', 'W', lonStep) });
  }
  const parallels: GraticuleLine[] = [];
  for (let lat = Math.ceil(latS / latStep) * latStep; lat <= latN; lat += latStep) {
    const y = (mercator(0, lat)[1] - v.y0) / v.scale;
    parallels.push({ px: y, label: degLabel(Math.round(lat / latStep) * latStep, 'N', 'S', latStep) });
  }
  return { meridians, parallels };
}
