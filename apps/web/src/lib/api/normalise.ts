/** Pure converters from API answers to the shapes the charts, map and filters use (unit-tested). */
import type {
  AircraftSummary,
  BatterySummary,
  ChartTelemetry,
  NamedCount,
  TagCount,
  TelemetryResponse,
  TrackPoint,
  TrackResponse,
} from './types.js';

/** Row-wise cell voltages → one column per cell; null when no row has cells. */
export function transposeCells(rows: ReadonlyArray<ReadonlyArray<number | null> | null> | undefined, length: number): (number | null)[][] | null {
  if (!rows) return null;
  let cells = 0;
  for (const r of rows) if (r && r.length > cells) cells = r.length;
  if (cells === 0) return null;
  const cols: (number | null)[][] = Array.from({ length: cells }, () => new Array<number | null>(length).fill(null));
  for (let i = 0; i < length; i++) {
    const r = rows[i];
    if (!r) continue;
    for (let c = 0; c < r.length; c++) {
      const v = r[c];
      cols[c]![i] = v === null || v === undefined || !Number.isFinite(v) ? null : v;
    }
  }
  return cols;
}

export function toChartTelemetry(r: TelemetryResponse): ChartTelemetry {
  const series: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(r.series)) {
    if (k === 'cellVoltages' || k === 'flightMode' || !Array.isArray(v)) continue;
    series[k] = v as (number | null)[];
  }
  return {
    t: r.t,
    series,
    cells: transposeCells(r.series.cellVoltages ?? undefined, r.t.length),
    points: r.points,
    totalPoints: r.totalPoints,
  };
}

/** Track tuples with unknown heights carried from the previous known one (0 before the first). */
export function toTrack(r: TrackResponse | { track?: TrackResponse['track'] } | unknown[]): TrackPoint[] {
  const raw = (Array.isArray(r) ? r : ((r as { track?: unknown[] }).track ?? [])) as Array<[number, number, number | null, number]>;
  const out: TrackPoint[] = [];
  let lastH = 0;
  for (const p of raw) {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    const h = p[2];
    if (h !== null && h !== undefined && Number.isFinite(h)) lastH = h;
    out.push([p[0], p[1], lastH, p[3]]);
  }
  return out;
}

/**
 * Fallback track from telemetry columns (latitude, longitude, heightM) for when the track endpoint
 * fails: rows without a valid position are skipped, like the API's track.
 */
export function trackFromTelemetry(t: ChartTelemetry): TrackPoint[] {
  const lat = t.series.latitude;
  const lon = t.series.longitude;
  const h = t.series.heightM;
  if (!lat || !lon) return [];
  const out: TrackPoint[] = [];
  let lastH = 0;
  for (let i = 0; i < t.t.length; i++) {
    const la = lat[i];
    const lo = lon[i];
    if (la == null || lo == null || !Number.isFinite(la) || !Number.isFinite(lo) || (la === 0 && lo === 0)) continue;
    if (Math.abs(la) > 90 || Math.abs(lo) > 180) continue;
    const hv = h?.[i];
    if (hv != null && Number.isFinite(hv)) lastH = hv;
    out.push([lo, la, lastH, t.t[i]!]);
  }
  return out;
}

export function aircraftOptions(items: AircraftSummary[]): NamedCount[] {
  return items.map((a) => {
    const label = a.model && a.name && a.name !== a.model ? `${a.model} “${a.name}”` : (a.model ?? a.name ?? a.serial);
    return { name: label, value: a.serial, count: a.flightCount };
  });
}

export function batteryOptions(items: BatterySummary[]): NamedCount[] {
  return items.map((b) => ({ name: b.aircraftModel ? `${b.serial} · ${b.aircraftModel}` : b.serial, value: b.serial, count: b.flightCount }));
}

export function tagOptions(items: TagCount[]): NamedCount[] {
  return items.map((t) => ({ name: t.name, value: t.name, count: t.count }));
}
