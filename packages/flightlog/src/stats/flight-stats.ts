import type { Telemetry } from '../types.js';

/** The per-flight figures computed from the (already filtered) telemetry columns. */
export interface FlightStats {
  maxHeightM: number | null;
  maxAltitudeM: number | null;
  maxHorizontalSpeedMps: number | null;
  /** Largest vertical speed in either direction (climb or descent), m/s. */
  maxVerticalSpeedMps: number | null;
  maxDistanceFromHomeM: number | null;
  /** Photos taken: rising edges of isPhoto. */
  photoCount: number;
  /** Recordings started: rising edges of isVideo (a log that starts while recording counts one). */
  videoCount: number;
  /** First and last known battery %. */
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  batteryMinTemperatureC: number | null;
  batteryMaxTemperatureC: number | null;
  batteryStartTemperatureC: number | null;
  minVoltageV: number | null;
}

export function computeFlightStats(t: Telemetry): FlightStats {
  const c = t.numeric;
  let photoCount = 0;
  let videoCount = 0;
  let videoBefore = 0;
  for (let i = 0; i < t.length; i++) {
    photoCount += t.isPhoto[i]!;
    const video = t.isVideo[i]!;
    if (video === 1 && videoBefore === 0) videoCount++;
    videoBefore = video;
  }
  return {
    maxHeightM: max(c.heightM),
    maxAltitudeM: max(c.altitudeM),
    maxHorizontalSpeedMps: max(c.horizontalSpeedMps),
    maxVerticalSpeedMps: maxAbs(c.verticalSpeedMps),
    maxDistanceFromHomeM: max(c.distanceFromHomeM),
    photoCount,
    videoCount,
    batteryStartPercent: first(c.batteryPercent),
    batteryEndPercent: last(c.batteryPercent),
    batteryMinTemperatureC: min(c.batteryTemperatureC),
    batteryMaxTemperatureC: max(c.batteryTemperatureC),
    batteryStartTemperatureC: first(c.batteryTemperatureC),
    minVoltageV: min(c.batteryVoltageV),
  };
}

/** Largest non-NaN value, or null when the column has none. */
export function max(column: Float64Array): number | null {
  let m = -Infinity;
  for (const v of column) if (v > m) m = v;
  return m === -Infinity ? null : m;
}

/** Smallest non-NaN value, or null. */
export function min(column: Float64Array): number | null {
  let m = Infinity;
  for (const v of column) if (v < m) m = v;
  return m === Infinity ? null : m;
}

function maxAbs(column: Float64Array): number | null {
  let m = -Infinity;
  for (const v of column) {
    const a = Math.abs(v);
    if (a > m) m = a;
  }
  return m === -Infinity ? null : m;
}

/** First / last non-NaN value, or null. */
export function first(column: Float64Array): number | null {
  for (const v of column) if (!Number.isNaN(v)) return v;
  return null;
}

export function last(column: Float64Array): number | null {
  for (let i = column.length - 1; i >= 0; i--) if (!Number.isNaN(column[i]!)) return column[i]!;
  return null;
}
