import { isPlausibleBatteryReading } from '../dji/extract.js';
import { cleanSerial, cleanText } from '../dji/strings.js';
import { FlightLogError } from '../errors.js';
import { createTelemetry } from '../normalise/columns.js';
import type { ExtractedFlight, FlightIdentity, HomeCandidate } from '../normalise/extracted.js';
import { isPlausibleCoordinate } from '../normalise/geo.js';
import { MessageCollector } from '../normalise/messages.js';
import { normaliseStick } from '../normalise/sticks.js';
import { parseFrameClock } from '../normalise/time.js';
import { WarningCounter } from '../normalise/warnings.js';
import { normaliseFlight } from '../normalise/flight.js';
import type { CsvFormat, LogHeader, ParsedFlight, ParseOptions, Telemetry, TelemetryNumericField } from '../types.js';

/** What a CSV mapper produces: columns in file order plus who flew, for the shared normalisation. */
export interface CsvExtraction extends ExtractedFlight {
  identity: Omit<FlightIdentity, 'headerStartMs' | 'logVersion'>;
  /** Totals the file states about itself (PhantomHelp DETAILS.*), for the header only. */
  stated?: { durationS?: number | null; distanceM?: number | null; maxHeightM?: number | null };
}

/** CSV formats have no DJI log version; the header and metadata carry 0. */
export const CSV_LOG_VERSION = 0;

/** Allocates a telemetry table and the side columns for `n` CSV rows. */
export function newExtraction(n: number): CsvExtraction {
  return {
    telemetry: createTelemetry(n),
    clockMs: new Float64Array(n).fill(NaN),
    flyTimeMs: new Float64Array(n).fill(NaN),
    messages: new MessageCollector(),
    homeCandidates: [],
    identity: {
      aircraftName: null, aircraftModel: null, productType: null,
      aircraftSerial: null, batterySerial: null, cameraSerial: null, rcSerial: null,
      app: null, firmware: null, batteryCycles: null, batteryDesignCapacityMah: null, place: null,
    },
  };
}

/** Copies a column (already SI) into a telemetry field; a missing column leaves NaN. */
export function setColumn(t: Telemetry, field: TelemetryNumericField, values: Float64Array | null, map?: (v: number) => number): void {
  if (values === null) return;
  const out = t.numeric[field];
  for (let i = 0; i < t.length; i++) out[i] = map === undefined ? values[i]! : map(values[i]!);
}

/** Level flags (1 while true) → 1 only on the row where it turns true, as the normalised `isPhoto` wants. */
export function risingEdges(level: Uint8Array): Uint8Array {
  const out = new Uint8Array(level.length);
  for (let i = 0; i < level.length; i++) out[i] = level[i] === 1 && (i === 0 || level[i - 1] === 0) ? 1 : 0;
  return out;
}

/**
 * RC sticks in whatever scale the exporter used → −100 … +100. DJI raw (364 … 1684, centre 1024:
 * Airdata, PhantomHelp), ±10000 (TXTlogToCSVtool) or already ±100 (Litchi). Decided per column from its range.
 */
export function normaliseStickColumn(values: Float64Array | null): Float64Array | null {
  if (values === null) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return values;
  const out = new Float64Array(values.length);
  if (max > 1850 || min < -100) {
    for (let i = 0; i < values.length; i++) out[i] = clampStick(values[i]! / 100);
  } else if (max >= 200) {
    for (let i = 0; i < values.length; i++) out[i] = normaliseStick(values[i]!);
  } else {
    for (let i = 0; i < values.length; i++) out[i] = clampStick(values[i]!);
  }
  return out;
}

function clampStick(v: number): number {
  return Number.isNaN(v) ? NaN : v > 100 ? 100 : v < -100 ? -100 : v;
}

/** Per-row cell voltages from cell columns (V, or mV when `scale` says so); cells reading 0 are absent ones. */
export function fillCells(t: Telemetry, cells: Array<Float64Array | null>, scale = 1): void {
  const columns = cells.filter((c): c is Float64Array => c !== null);
  if (columns.length === 0) return;
  for (let i = 0; i < t.length; i++) {
    const row: number[] = [];
    for (const c of columns) {
      const v = c[i]! * scale;
      if (v > 0) row.push(v);
    }
    if (row.length > 0 && row.every((v) => v >= 2 && v <= 5)) t.cellVoltages[i] = row;
  }
}

/**
 * Battery sanity shared by the CSV mappers: zeros before the first reading mean "no reading yet" (as in DJI
 * logs), voltage 0 is "unknown", and rows whose %/voltage/cells are impossible are blanked.
 */
export function cleanBattery(t: Telemetry, warnings: WarningCounter): void {
  const c = t.numeric;
  let percentSeen = false;
  let implausible = 0;
  for (let i = 0; i < t.length; i++) {
    const percent = c.batteryPercent[i]!;
    const voltage = c.batteryVoltageV[i]!;
    const ok = isPlausibleBatteryReading(Number.isNaN(percent) ? 0 : percent, Number.isNaN(voltage) ? 0 : voltage, t.cellVoltages[i] ?? null);
    if (!ok) {
      implausible++;
      c.batteryPercent[i] = NaN;
      c.batteryVoltageV[i] = NaN;
      continue;
    }
    if (!percentSeen && percent > 0) percentSeen = true;
    if (!percentSeen) c.batteryPercent[i] = NaN;
    if (!(voltage > 0)) c.batteryVoltageV[i] = NaN;
  }
  warnings.add('battery-implausible', implausible);
}

/** Distinct plausible home positions in row order (a CSV repeats the home on every row). */
export function homeCandidatesFrom(lat: Float64Array | null, lon: Float64Array | null, altitudeM: Float64Array | null): HomeCandidate[] {
  const out: HomeCandidate[] = [];
  if (lat === null || lon === null) return out;
  for (let i = 0; i < lat.length && out.length < 64; i++) {
    const la = lat[i]!;
    const lo = lon[i]!;
    if (!isPlausibleCoordinate(la, lo)) continue;
    const last = out.at(-1);
    if (last !== undefined && last.latitude === la && last.longitude === lo) continue;
    const alt = altitudeM?.[i];
    out.push({ row: i, latitude: la, longitude: lo, altitudeM: alt !== undefined && Number.isFinite(alt) ? alt : null });
  }
  return out;
}

/** Horizontal / vertical speed from N/E/Down velocities where the file has no own column for them. */
export function deriveSpeeds(t: Telemetry, hasHorizontal: boolean, hasVertical: boolean): void {
  const c = t.numeric;
  for (let i = 0; i < t.length; i++) {
    if (!hasHorizontal) c.horizontalSpeedMps[i] = Math.hypot(c.velocityNorthMps[i]!, c.velocityEastMps[i]!);
    if (!hasVertical) {
      const down = c.velocityDownMps[i]!;
      c.verticalSpeedMps[i] = down === 0 ? 0 : -down;
    }
  }
}

/**
 * Date and time as CSV exporters write them, read as UTC: `2018-02-16 21:15:26.199`, `2018/07/04 09:19:31.701`,
 * ISO-8601 with `T`/`Z`/offset, and US `6/20/2018` + `3:16:54.01 PM`. NaN when unreadable or implausible.
 */
export function parseCsvDateTime(date: string, time = ''): number {
  const text = `${date} ${time}`.trim();
  if (text === '') return NaN;
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(AM|PM)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (m !== null) return build(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6], m[7], m[8], m[9]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(AM|PM)?$/i.exec(text);
  if (m !== null) return build(+m[3]!, +m[1]!, +m[2]!, +m[4]!, +m[5]!, m[6], m[7], m[8], undefined);
  return NaN;
}

function build(
  y: number, mo: number, d: number, h: number, mi: number,
  s: string | undefined, frac: string | undefined, ampm: string | undefined, zone: string | undefined,
): number {
  let hour = h;
  if (ampm !== undefined) {
    const pm = ampm.toUpperCase() === 'PM';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(y, mo - 1, d, hour, mi, s === undefined ? 0 : +s, ms);
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (+zm[2]! * 60 + +zm[3]!) * 60_000 * (zm[1] === '-' ? -1 : 1);
    t -= offset;
  }
  return parseFrameClock(new Date(t).toISOString());
}

/** The header of a CSV flight: what the file says about the aircraft plus the start time and stated totals. */
function csvHeader(format: CsvFormat, x: CsvExtraction, startMs: number | null, fallbackDurationS: number | null): LogHeader {
  const firstFix = firstPlausibleFix(x.telemetry);
  return {
    format,
    version: CSV_LOG_VERSION,
    encrypted: false,
    aircraftName: x.identity.aircraftName,
    aircraftModel: x.identity.aircraftModel,
    productType: x.identity.productType,
    aircraftSerial: x.identity.aircraftSerial,
    batterySerial: x.identity.batterySerial,
    cameraSerial: x.identity.cameraSerial,
    rcSerial: x.identity.rcSerial,
    startTime: startMs === null ? null : new Date(startMs).toISOString(),
    durationS: x.stated?.durationS ?? fallbackDurationS,
    distanceM: x.stated?.distanceM ?? null,
    maxHeightM: x.stated?.maxHeightM ?? null,
    latitude: firstFix?.latitude ?? null,
    longitude: firstFix?.longitude ?? null,
    app: x.identity.app,
    place: x.identity.place,
  };
}

function firstPlausibleFix(t: Telemetry): { latitude: number; longitude: number } | null {
  const { latitude, longitude } = t.numeric;
  for (let i = 0; i < t.length; i++) {
    if (isPlausibleCoordinate(latitude[i]!, longitude[i]!)) return { latitude: latitude[i]!, longitude: longitude[i]! };
  }
  return null;
}

/**
 * The common end of every CSV decoder: header → `onHeader` → format-independent normalisation (time base,
 * GPS filter, home, stats) — the same second stage DJI logs go through.
 */
export async function finishCsvFlight(
  format: CsvFormat,
  x: CsvExtraction,
  warnings: WarningCounter,
  options: ParseOptions,
): Promise<ParsedFlight> {
  const n = x.telemetry.length;
  if (n === 0) throw new FlightLogError('no-flight-data', 'This flight log holds no flight data (the CSV has a header but no rows).');
  // The start time as the time base will compute it: the first row with a clock, minus the time before it.
  const startMs = estimateStart(x);
  if (startMs === null) {
    throw new FlightLogError('not-a-flight-log', 'This CSV has no readable date and time column, so the flight cannot be placed in time.');
  }
  const durationS = durationFromFlyTime(x.flyTimeMs);
  const header = csvHeader(format, x, startMs, durationS);
  await options.onHeader?.(header);
  try {
    return normaliseFlight(x, { ...x.identity, logVersion: CSV_LOG_VERSION, headerStartMs: startMs }, header, warnings);
  } catch (error) {
    if (error instanceof FlightLogError) throw error;
    throw new FlightLogError('unreadable', 'This CSV flight log could not be read (its values do not form a flight).', undefined, { cause: error });
  }
}

function estimateStart(x: CsvExtraction): number | null {
  const { clockMs, flyTimeMs } = x;
  for (let i = 0; i < clockMs.length; i++) {
    const clock = clockMs[i]!;
    if (Number.isNaN(clock)) continue;
    // Mirrors buildTimeBase: rows before the first clock are placed by their fly-time difference.
    const before = Number.isNaN(flyTimeMs[i]!) || Number.isNaN(flyTimeMs[0]!) ? 0 : flyTimeMs[i]! - flyTimeMs[0]!;
    return clock - Math.max(0, before);
  }
  return null;
}

function durationFromFlyTime(flyTimeMs: Float64Array): number | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of flyTimeMs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max > min ? (max - min) / 1000 : null;
}

/** Serial / name cleaning shared with the DJI decoder ("(null)" is Litchi's empty value). */
export function csvText(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim();
  return t === '(null)' || t.toLowerCase() === 'null' ? null : cleanText(t);
}

export function csvSerial(v: string | null): string | null {
  const t = csvText(v);
  return t === null ? null : cleanSerial(t);
}

export { WarningCounter };
