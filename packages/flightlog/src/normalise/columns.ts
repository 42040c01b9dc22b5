import { TELEMETRY_NUMERIC_FIELDS, type Telemetry, type TelemetryNumericField } from '../types.js';
import type { WarningCounter } from './warnings.js';

/** Allocates a telemetry table of n rows: numeric columns NaN, flags 0, the rest null. */
export function createTelemetry(n: number): Telemetry {
  const numeric = {} as Record<TelemetryNumericField, Float64Array>;
  for (const field of TELEMETRY_NUMERIC_FIELDS) numeric[field] = new Float64Array(n).fill(NaN);
  return {
    length: n,
    timeMs: new Float64Array(n),
    numeric,
    cellVoltages: new Array<number[] | null>(n).fill(null),
    flightMode: new Array<string | null>(n).fill(null),
    isPhoto: new Uint8Array(n),
    isVideo: new Uint8Array(n),
  };
}

/**
 * Physical limits per column; values outside become NaN and are counted as `value-out-of-range`.
 * They are wide on purpose: they catch decoding garbage (bit flips, wrong keys), not unusual flights.
 * (lat/lon are handled by the GPS filter, sticks and RC signal by their own normalisation.)
 */
export const COLUMN_LIMITS: Partial<Record<TelemetryNumericField, readonly [min: number, max: number]>> = {
  heightM: [-2_000, 10_000],
  vpsHeightM: [-100, 1_000],
  altitudeM: [-2_000, 12_000],
  horizontalSpeedMps: [0, 150],
  verticalSpeedMps: [-100, 100],
  velocityNorthMps: [-150, 150],
  velocityEastMps: [-150, 150],
  velocityDownMps: [-100, 100],
  pitchDeg: [-180, 180],
  rollDeg: [-180, 180],
  yawDeg: [-1080, 1080],
  gimbalPitchDeg: [-360, 360],
  gimbalRollDeg: [-360, 360],
  gimbalYawDeg: [-1080, 1080],
  batteryPercent: [0, 100],
  batteryVoltageV: [0, 100],
  batteryCurrentA: [-500, 500],
  batteryTemperatureC: [-60, 150],
  batteryFullCapacityMah: [0, 100_000],
  batteryRemainingCapacityMah: [0, 100_000],
  satellites: [0, 100],
  gpsLevel: [0, 15],
};

/** Headings are reported into (−180, 180]; DJI sometimes logs gimbal yaw unwrapped (e.g. −531°). */
export const HEADING_COLUMNS: readonly TelemetryNumericField[] = ['yawDeg', 'gimbalYawDeg'];

/** An angle in degrees wrapped into (−180, 180]. */
export function wrapDegrees(deg: number): number {
  const w = ((((deg + 180) % 360) + 360) % 360) - 180;
  return w === -180 ? 180 : w;
}

/** Blanks values outside COLUMN_LIMITS (NaN stays NaN and is not counted), then wraps headings. */
export function blankOutOfRange(telemetry: Telemetry, warnings: WarningCounter): void {
  let blanked = 0;
  for (const [field, limits] of Object.entries(COLUMN_LIMITS) as Array<[TelemetryNumericField, readonly [number, number]]>) {
    const column = telemetry.numeric[field];
    const [min, max] = limits;
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (v < min || v > max) {
        column[i] = NaN;
        blanked++;
      }
    }
  }
  warnings.add('value-out-of-range', blanked);
  for (const field of HEADING_COLUMNS) {
    const column = telemetry.numeric[field];
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (v <= -180 || v > 180) column[i] = wrapDegrees(v);
    }
  }
}
