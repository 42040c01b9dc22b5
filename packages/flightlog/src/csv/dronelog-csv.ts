/**
 * Dronelog's own CSV format: what the export API writes and `parseFlightLog` reads back without loss.
 *
 * ```
 * # dronelog-csv 1
 * # header: {"format":"dji-txt","version":9,…}          LogHeader of the original log, JSON on one line
 * # metadata: {"aircraftName":"RGP Craft",…}            FlightMetadata, JSON
 * # extras: {"name":…,"notes":…,"color":…,"tags":[…]}   name, notes, colour, manual tags (optional)
 * # messages: [{"timeMs":0,"severity":"tip","text":…}]  (optional)
 * # warnings: [{"code":"gps-zero","count":3,…}]         (optional)
 * time_ms,latitude,longitude,height_m,…,flight_mode,is_photo,is_video,cell_voltages
 * 0,39.96120272,-106.21645738,0,…,P-GPS,0,0,4.298;4.302;4.303;4.305;4.305;4.295
 * ```
 *
 * Columns: `time_ms` (ms since metadata.startTime), then every numeric telemetry column in snake_case with its
 * unit in the name (`height_m`, `horizontal_speed_mps`, `battery_temperature_c`, `rc_aileron` in −100…100), then
 * `flight_mode`, `is_photo` (1 on the frame a photo was taken), `is_video` (1 while recording) and
 * `cell_voltages` (V, `;`-joined). Empty cell = not recorded. Numbers are written in JavaScript's shortest
 * round-trip form, so a re-import gives bit-identical doubles. RFC 4180 quoting, CRLF line ends.
 * Comment lines come before the header; other CSV tools can skip them as `#` comments.
 */
import { FlightLogError } from '../errors.js';
import { createTelemetry } from '../normalise/columns.js';
import { computeFlightStats } from '../stats/flight-stats.js';
import { trackDistanceM } from '../normalise/gps-filter.js';
import {
  TELEMETRY_NUMERIC_FIELDS, type FlightExtras, type FlightMessage, type FlightMetadata, type LogHeader,
  type ParsedFlight, type ParseOptions, type ParseWarning, type TelemetryNumericField,
} from '../types.js';
import { CSV_LOG_VERSION } from './build.js';
import type { CsvDocument } from './text.js';

export const DRONELOG_CSV_MAGIC = 'dronelog-csv 1';

/** `heightM` → `height_m`, `batteryTemperatureC` → `battery_temperature_c` (the same names as the database columns). */
export function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The header row, in order. */
export const DRONELOG_CSV_COLUMNS: readonly string[] = [
  'time_ms',
  ...TELEMETRY_NUMERIC_FIELDS.map(snakeCase),
  'flight_mode',
  'is_photo',
  'is_video',
  'cell_voltages',
];

/** Telemetry as the writer needs it: a parsed flight's columns, or plain arrays read back from a database. */
export interface DronelogCsvTelemetry {
  length: number;
  timeMs: ArrayLike<number>;
  numeric: Partial<Record<TelemetryNumericField, ArrayLike<number | null>>>;
  cellVoltages?: ArrayLike<readonly number[] | null>;
  flightMode?: ArrayLike<string | null>;
  isPhoto?: ArrayLike<number | boolean>;
  isVideo?: ArrayLike<number | boolean>;
}

export interface DronelogCsvFlight {
  header?: LogHeader;
  metadata: FlightMetadata;
  telemetry: DronelogCsvTelemetry;
  messages?: readonly FlightMessage[];
  warnings?: readonly ParseWarning[];
}

/** Writes a flight in Dronelog's CSV format (see the module comment). `extras`: name, notes, colour, manual tags. */
export function writeDronelogCsv(flight: DronelogCsvFlight, extras: FlightExtras = {}): string {
  const lines: string[] = [`# ${DRONELOG_CSV_MAGIC}`];
  if (flight.header !== undefined) lines.push(`# header: ${JSON.stringify(flight.header)}`);
  lines.push(`# metadata: ${JSON.stringify(flight.metadata)}`);
  const cleanExtras = {
    name: extras.name ?? null,
    notes: extras.notes ?? null,
    color: extras.color ?? null,
    tags: [...(extras.tags ?? [])],
  };
  lines.push(`# extras: ${JSON.stringify(cleanExtras)}`);
  if (flight.messages !== undefined && flight.messages.length > 0) lines.push(`# messages: ${JSON.stringify(flight.messages)}`);
  if (flight.warnings !== undefined && flight.warnings.length > 0) lines.push(`# warnings: ${JSON.stringify(flight.warnings)}`);
  lines.push(DRONELOG_CSV_COLUMNS.join(','));

  const t = flight.telemetry;
  const numeric = TELEMETRY_NUMERIC_FIELDS.map((f) => t.numeric[f]);
  for (let i = 0; i < t.length; i++) {
    const cells: string[] = [numberCell(t.timeMs[i])];
    for (const column of numeric) cells.push(numberCell(column?.[i]));
    cells.push(quote(t.flightMode?.[i] ?? ''));
    cells.push(flagCell(t.isPhoto?.[i]));
    cells.push(flagCell(t.isVideo?.[i]));
    const cellsV = t.cellVoltages?.[i];
    cells.push(cellsV == null ? '' : cellsV.map((v) => numberCell(v)).join(';'));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function numberCell(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

function flagCell(v: number | boolean | undefined): string {
  return v === true || v === 1 ? '1' : '0';
}

/** RFC 4180: quote when the value holds a comma, quote, CR or LF, doubling inner quotes. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** True when the comment lines or the header row are Dronelog's. */
export function isDronelogCsv(doc: Pick<CsvDocument, 'comments' | 'header'>): boolean {
  if (doc.comments.some((c) => c.trim() === DRONELOG_CSV_MAGIC)) return true;
  const names = new Set(doc.header.map((h) => h.trim().toLowerCase()));
  return names.has('time_ms') && names.has('latitude') && names.has('longitude') && names.has('height_m');
}

/**
 * Reads a Dronelog CSV back. Telemetry is taken as written (it was normalised before export); metadata and
 * header come from the comment lines, each field checked for its type, with values computed from the
 * telemetry for anything missing. Without a `# metadata:` line the start time must come from a
 * `# start_time: <ISO-8601>` line.
 */
export async function readDronelogCsv(doc: CsvDocument, options: ParseOptions): Promise<ParsedFlight> {
  const json = commentJson(doc.comments);
  const index = new Map(doc.header.map((h, i) => [h.trim().toLowerCase(), i]));
  const col = (name: string): number => index.get(name) ?? -1;
  const timeCol = col('time_ms');
  if (timeCol < 0) throw new FlightLogError('not-a-flight-log', 'This Dronelog CSV has no time_ms column.');

  const rows = doc.rows;
  const n = rows.length;
  const telemetry = createTelemetry(n);
  for (let i = 0; i < n; i++) telemetry.timeMs[i] = num(rows[i]![timeCol]);
  for (const field of TELEMETRY_NUMERIC_FIELDS) {
    const c = col(snakeCase(field));
    if (c < 0) continue;
    const out = telemetry.numeric[field];
    for (let i = 0; i < n; i++) out[i] = num(rows[i]![c]);
  }
  const [mode, photo, video, cells] = ['flight_mode', 'is_photo', 'is_video', 'cell_voltages'].map(col) as [number, number, number, number];
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (mode >= 0 && r[mode]) telemetry.flightMode[i] = r[mode]!;
    if (photo >= 0) telemetry.isPhoto[i] = r[photo] === '1' ? 1 : 0;
    if (video >= 0) telemetry.isVideo[i] = r[video] === '1' ? 1 : 0;
    if (cells >= 0 && r[cells]) {
      const v = r[cells]!.split(';').map(num).filter((x) => Number.isFinite(x));
      if (v.length > 0) telemetry.cellVoltages[i] = v;
    }
  }
  if (n === 0) throw new FlightLogError('no-flight-data', 'This flight log holds no flight data (the CSV has a header but no rows).');
  for (let i = 1; i < n; i++) {
    if (!(telemetry.timeMs[i]! >= telemetry.timeMs[i - 1]!)) {
      throw new FlightLogError('unreadable', `This Dronelog CSV is damaged: time_ms goes backwards or is missing on data row ${i + 1}.`);
    }
  }

  const meta = isObject(json.metadata) ? json.metadata : {};
  const startMs = Date.parse(typeof meta.startTime === 'string' ? meta.startTime : (json.start_time as string | undefined) ?? '');
  if (!Number.isFinite(startMs)) {
    throw new FlightLogError('not-a-flight-log', 'This Dronelog CSV has no start time (its "# metadata:" comment line is missing or damaged).');
  }
  const lastMs = telemetry.timeMs[n - 1]!;
  const computed: FlightMetadata = {
    aircraftName: null, aircraftModel: null, productType: null,
    aircraftSerial: null, batterySerial: null, cameraSerial: null, rcSerial: null,
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(startMs + lastMs).toISOString(),
    durationS: lastMs / 1000,
    home: null, takeoff: null, landing: null,
    distanceM: trackDistanceM(telemetry.numeric.latitude, telemetry.numeric.longitude, telemetry.numeric.horizontalSpeedMps),
    ...computeFlightStats(telemetry),
    batteryCycles: null, batteryDesignCapacityMah: null, app: null, firmware: null,
    logVersion: CSV_LOG_VERSION,
    frameCount: n,
    gpsFrameCount: telemetry.numeric.latitude.filter((v) => Number.isFinite(v)).length,
    place: null,
  };
  const metadata = mergeTyped(computed, meta);
  metadata.home = homeOf(meta.home);
  metadata.takeoff = pointOf(meta.takeoff) ?? firstFix(telemetry.numeric.latitude, telemetry.numeric.longitude, false);
  metadata.landing = pointOf(meta.landing) ?? firstFix(telemetry.numeric.latitude, telemetry.numeric.longitude, true);
  metadata.frameCount = n;

  const headerIn = isObject(json.header) ? json.header : {};
  const header: LogHeader = mergeTyped<LogHeader>(
    {
      format: 'dronelog-csv', version: metadata.logVersion, encrypted: false,
      aircraftName: metadata.aircraftName, aircraftModel: metadata.aircraftModel, productType: metadata.productType,
      aircraftSerial: metadata.aircraftSerial, batterySerial: metadata.batterySerial, cameraSerial: metadata.cameraSerial,
      rcSerial: metadata.rcSerial, startTime: metadata.startTime, durationS: metadata.durationS, distanceM: null, maxHeightM: null,
      latitude: metadata.takeoff?.latitude ?? null, longitude: metadata.takeoff?.longitude ?? null, app: metadata.app, place: metadata.place,
    },
    headerIn,
  );
  header.format = 'dronelog-csv';
  header.encrypted = false;
  await options.onHeader?.(header);

  const flight: ParsedFlight = {
    header,
    metadata,
    telemetry,
    messages: Array.isArray(json.messages) ? json.messages.filter(isMessage) : [],
    warnings: Array.isArray(json.warnings) ? json.warnings.filter(isWarning) : [],
  };
  const extras = extrasOf(json.extras);
  if (extras !== null) flight.extras = extras;
  return flight;
}

function commentJson(comments: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of comments) {
    const m = /^\s*([a-z_]+):\s*(.*)$/.exec(line);
    if (m === null) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'start_time') {
      out[key] = value.trim();
      continue;
    }
    try {
      out[key] = JSON.parse(value);
    } catch {
      // A damaged comment line is ignored; the values it held are recomputed or left empty.
    }
  }
  return out;
}

function num(cell: string | undefined): number {
  if (cell === undefined || cell === '') return NaN;
  const v = Number(cell);
  return Number.isFinite(v) ? v : NaN;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `base` with every scalar key of `input` whose type fits base's (objects such as home are read separately). */
function mergeTyped<T extends object>(base: T, input: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(base)) {
    if (!(key in input)) continue;
    const v = input[key];
    if (v === null) {
      if (typeof value !== 'boolean') out[key] = null;
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      // A key that is null in the computed base (serials, names) takes a string or number as written.
      if (value === null ? typeof v !== 'boolean' : typeof v === typeof value) out[key] = v;
    }
  }
  return out as T;
}

function pointOf(v: unknown): { latitude: number; longitude: number } | null {
  if (!isObject(v) || typeof v.latitude !== 'number' || typeof v.longitude !== 'number') return null;
  return { latitude: v.latitude, longitude: v.longitude };
}

function homeOf(v: unknown): FlightMetadata['home'] {
  const p = pointOf(v);
  if (p === null || !isObject(v)) return null;
  return {
    ...p,
    altitudeM: typeof v.altitudeM === 'number' ? v.altitudeM : null,
    source: v.source === 'recorded' ? 'recorded' : 'first-fix',
  };
}

function firstFix(lat: Float64Array, lon: Float64Array, fromEnd: boolean): { latitude: number; longitude: number } | null {
  const n = lat.length;
  for (let k = 0; k < n; k++) {
    const i = fromEnd ? n - 1 - k : k;
    if (Number.isFinite(lat[i]!) && Number.isFinite(lon[i]!)) return { latitude: lat[i]!, longitude: lon[i]! };
  }
  return null;
}

function isMessage(v: unknown): v is FlightMessage {
  return isObject(v) && typeof v.timeMs === 'number' && typeof v.text === 'string' && ['tip', 'warning', 'caution'].includes(v.severity as string);
}

function isWarning(v: unknown): v is ParseWarning {
  return isObject(v) && typeof v.code === 'string' && typeof v.count === 'number' && typeof v.message === 'string';
}

function extrasOf(v: unknown): FlightExtras | null {
  if (!isObject(v)) return null;
  const str = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);
  return {
    name: str(v.name),
    notes: str(v.notes),
    color: typeof v.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(v.color) ? v.color : null,
    tags: Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [],
  };
}
