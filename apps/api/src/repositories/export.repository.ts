import { TELEMETRY_NUMERIC_FIELDS, type TelemetryNumericField } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { DISPLAY_NAME_SQL, SqlParams, flightWhereSql, iso, num, str, type FlightFilter } from './flight.repository.js';
import { TAKEOFF_LAT_SQL, TAKEOFF_LON_SQL, detectLocalTimeSql, validPositionSql, type LocalTimeSql } from './analytics-sql.repository.js';

/**
 * Reads for exports and the report, always in bounded pages (keyset, never OFFSET) so any amount of data streams
 * through constant memory and the shared reader connection is never held between pages: a slow download does not
 * block anyone, and a flight deleted mid-export just ends its file early.
 */

/** Telemetry rows per page: ~0.5 MB of CSV text at most. */
export const TELEMETRY_PAGE_ROWS = 2048;
/** Flights per page for summary, zip listing and report (a page of the report is ~0.5 MB of HTML). */
export const FLIGHT_PAGE_ROWS = 1000;

/** Per-row track values as text (DuckDB's shortest round-trip decimal), null when not recorded. */
export type TextRow = Array<string | null>;

/**
 * One page of every telemetry column, columnar, in the shape @dronelog/flightlog's writers take: numbers as
 * recorded (4-byte floats at their shortest decimal, 12.3 not 12.300000190734863), null when not recorded.
 */
export interface TelemetryPage {
  length: number;
  timeMs: number[];
  numeric: Record<TelemetryNumericField, Array<number | null>>;
  cellVoltages: Array<number[] | null>;
  flightMode: Array<string | null>;
  isPhoto: number[];
  isVideo: number[];
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const DOUBLE_COLUMNS = new Set(['latitude', 'longitude']);
const FULL_COLUMNS_SQL = [
  't_ms',
  ...TELEMETRY_NUMERIC_FIELDS.map((f) => {
    const c = snake(f);
    return DOUBLE_COLUMNS.has(c) ? `CASE WHEN isfinite(${c}) THEN ${c} END` : `CASE WHEN isfinite(${c}) THEN ${c}::VARCHAR::DOUBLE END`;
  }),
  'list_transform(cell_voltages, x -> CASE WHEN isfinite(x) THEN x::VARCHAR::DOUBLE END)',
  'flight_mode',
  'CASE WHEN is_photo THEN 1 ELSE 0 END',
  'CASE WHEN is_video THEN 1 ELSE 0 END',
];

/** Track columns: t_ms, latitude, longitude, height above take-off, altitude above sea level. Valid positions only. */
const trackColumnsSql = (homeAltitude: string): string[] => [
  't_ms::VARCHAR',
  'latitude::VARCHAR',
  'longitude::VARCHAR',
  'CASE WHEN isfinite(height_m) THEN height_m::VARCHAR END',
  // Recorded altitude, else the home altitude plus the height above take-off.
  `CASE WHEN isfinite(altitude_m) THEN altitude_m::VARCHAR
        WHEN isfinite(height_m) AND ${homeAltitude}::DOUBLE IS NOT NULL THEN round(${homeAltitude}::DOUBLE + height_m, 2)::VARCHAR END`,
];

/** One flight as listed in summary, zip and report (flights table + equipment names + tags). */
export interface LogbookRow {
  id: number;
  name: string;
  customName: string | null;
  aircraftName: string | null;
  aircraftModel: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  batteryName: string | null;
  /** Wall time of take-off 'YYYY-MM-DDTHH:MM:SS': local when `localKnown`, else UTC. */
  localStart: string;
  localKnown: boolean;
  timeZone: string | null;
  startTime: string;
  durationS: number | null;
  distanceM: number | null;
  maxHeightM: number | null;
  maxAltitudeM: number | null;
  maxDistanceFromHomeM: number | null;
  maxSpeedMps: number | null;
  takeoffLat: number | null;
  takeoffLon: number | null;
  landingLat: number | null;
  landingLon: number | null;
  place: string | null;
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  batteryStartTempC: number | null;
  batteryEndTempC: number | null;
  batteryStartVoltageV: number | null;
  batteryEndVoltageV: number | null;
  photoCount: number;
  videoCount: number;
  tags: string[];
  notes: string | null;
  sourceFormat: string;
  fileName: string | null;
}

export type LogbookOrder = 'utc' | 'local';

export class ExportRepository {
  readonly #db: Database;
  #local: Promise<LocalTimeSql> | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  #localTime(): Promise<LocalTimeSql> {
    this.#local ??= detectLocalTimeSql(this.#db);
    return this.#local;
  }

  /** Whether flights carry a local take-off time (the import side's time-zone lookup) yet. */
  async localTimeAvailable(): Promise<boolean> {
    return (await this.#localTime()).available;
  }

  /** Rows with a valid position (what GPX/KML/GeoJSON can draw). */
  async trackRowCount(flightId: number): Promise<number> {
    const r = await this.#db.reader.runAndReadAll(
      `SELECT count(*) AS n FROM telemetry WHERE flight_id = $1 AND ${validPositionSql('latitude', 'longitude')}`,
      [flightId],
    );
    return num(r.getRowObjectsJS()[0]?.n) ?? 0;
  }

  /** Every telemetry row of the flight in time order, one columnar page at a time. */
  async *telemetryPages(flightId: number): AsyncGenerator<TelemetryPage> {
    for await (const cols of this.#pages(flightId, FULL_COLUMNS_SQL, 'TRUE')) {
      const n = cols[0]?.length ?? 0;
      const numbers = (c: unknown[] | undefined) => (c ?? []).map((v) => num(v));
      const numeric = Object.fromEntries(TELEMETRY_NUMERIC_FIELDS.map((f, i) => [f, numbers(cols[i + 1])])) as TelemetryPage['numeric'];
      const k = TELEMETRY_NUMERIC_FIELDS.length + 1;
      yield {
        length: n,
        timeMs: numbers(cols[0]).map((v) => v ?? 0),
        numeric,
        cellVoltages: (cols[k] ?? []).map((v) => (Array.isArray(v) ? v.map((x) => num(x) ?? Number.NaN) : null)),
        flightMode: (cols[k + 1] ?? []).map((v) => (v === null || v === undefined ? null : String(v))),
        isPhoto: numbers(cols[k + 2]).map((v) => v ?? 0),
        isVideo: numbers(cols[k + 3]).map((v) => v ?? 0),
      };
    }
  }

  /**
   * The rows with a valid position, in time order, one page at a time; each row is
   * [t_ms, latitude, longitude, height above take-off, altitude above sea level] as text.
   */
  async *trackPages(flightId: number, homeAltitudeM: number | null): AsyncGenerator<TextRow[]> {
    const p = new SqlParams();
    const cols = trackColumnsSql(p.add(homeAltitudeM));
    for await (const page of this.#pages(flightId, cols, validPositionSql('latitude', 'longitude'), p)) {
      const n = page[0]?.length ?? 0;
      const rows: TextRow[] = new Array(n);
      for (let i = 0; i < n; i++) rows[i] = page.map((c) => (c[i] === null || c[i] === undefined ? null : String(c[i])));
      yield rows;
    }
  }

  /**
   * Columns of the flight's rows matching `where`, page by page: keyset on (t_ms, rowid). Each page first finds the
   * t_ms of its last row (a cheap query over two columns), then reads the columns of only the rows up to it — so
   * the per-column expressions run on one page of rows, not on every row left in the flight.
   */
  async *#pages(flightId: number, columns: readonly string[], where: string, base?: SqlParams): AsyncGenerator<unknown[][]> {
    let after: { t: number; rowid: bigint } | null = null;
    const filterSql = (p: SqlParams): string => {
      const keyset = after
        ? `t_ms >= ${p.add(after.t)} AND (t_ms > ${p.add(after.t)} OR (t_ms = ${p.add(after.t)} AND rowid > ${p.add(after.rowid)}))`
        : 'TRUE';
      return `flight_id = ${p.add(flightId)} AND ${where} AND ${keyset}`;
    };
    for (;;) {
      const b = new SqlParams();
      const bound = await this.#db.reader.runAndReadAll(
        `SELECT t_ms FROM telemetry WHERE ${filterSql(b)} ORDER BY t_ms, rowid LIMIT 1 OFFSET ${TELEMETRY_PAGE_ROWS - 1}`,
        b.values,
      );
      const lastT = bound.getRowsJS()[0]?.[0];
      const p = new SqlParams();
      p.values.push(...(base?.values ?? []));
      const filter = filterSql(p);
      const upper = lastT === undefined ? '' : `AND t_ms <= ${p.add(Number(lastT))}`;
      const r = await this.#db.reader.runAndReadAll(
        `SELECT t_ms AS tk, rowid AS rid, ${columns.join(', ')} FROM telemetry
         WHERE ${filter} ${upper}
         ORDER BY t_ms, rowid LIMIT ${p.add(TELEMETRY_PAGE_ROWS)}`,
        p.values,
      );
      const cols: unknown[][] = r.getColumnsJS();
      const n = cols[0]?.length ?? 0;
      if (n === 0) return;
      after = { t: Number(cols[0]![n - 1]), rowid: BigInt(cols[1]![n - 1] as bigint) };
      yield cols.slice(2);
      if (n < TELEMETRY_PAGE_ROWS) return;
    }
  }

  /** The filtered flights in start order (UTC instant, or local wall time for the report), page by page. */
  async *logbookPages(filter: FlightFilter, order: LogbookOrder): AsyncGenerator<LogbookRow[]> {
    const local = await this.#localTime();
    // Sort keys: (local wall time, UTC instant, id) or (UTC instant, id); the UTC instant as a number compares cheaply.
    let after: { local: string; us: bigint; id: number } | null = null;
    for (;;) {
      const p = new SqlParams();
      const where = flightWhereSql(filter, p);
      let keyset = '';
      if (after && order === 'local') {
        const [l, u, i] = [p.add(after.local), p.add(after.us), p.add(after.id)];
        keyset = `AND (k_local > ${l} OR (k_local = ${l} AND (k_us > ${u} OR (k_us = ${u} AND id > ${i}))))`;
      } else if (after) {
        const [u, i] = [p.add(after.us), p.add(after.id)];
        keyset = `AND (k_us > ${u} OR (k_us = ${u} AND id > ${i}))`;
      }
      const localKey = order === 'local' ? local.iso : `''`;
      // The page's ids first (sort key and filters only), then every column and the tags of those ids alone.
      const sql: string = `
        WITH page AS (
          SELECT * FROM (SELECT f.id, ${localKey} AS k_local, epoch_us(f.start_time) AS k_us FROM flights f WHERE ${where})
          WHERE TRUE ${keyset}
          ORDER BY k_local, k_us, id
          LIMIT ${p.add(FLIGHT_PAGE_ROWS)}
        ),
        tg AS (
          SELECT t.flight_id, list(t.tag ORDER BY t.kind = 'auto' DESC, lower(t.tag)) AS tags
          FROM flight_tags t WHERE t.flight_id IN (SELECT id FROM page) GROUP BY t.flight_id
        )
        SELECT f.id, page.k_local, page.k_us, ${DISPLAY_NAME_SQL} AS display_name, nullif(trim(f.name), '') AS custom_name,
          coalesce(nullif(trim(ea.display_name), ''), nullif(trim(f.aircraft_name), '')) AS aircraft_name,
          f.aircraft_model, f.aircraft_serial, f.battery_serial, nullif(trim(eb.display_name), '') AS battery_name,
          ${local.iso} AS local_start, ${local.known} AS local_known, ${local.zone} AS time_zone,
          f.start_time, f.duration_s, f.distance_m, f.max_height_m, f.max_altitude_m, f.max_distance_from_home_m,
          f.max_horizontal_speed_mps, ${TAKEOFF_LAT_SQL} AS takeoff_lat, ${TAKEOFF_LON_SQL} AS takeoff_lon, f.landing_lat, f.landing_lon,
          f.place, f.battery_start_percent, f.battery_end_percent, f.battery_start_temp_c, f.battery_end_temp_c,
          f.battery_start_voltage_v, f.battery_end_voltage_v, f.photo_count, f.video_count, f.notes, f.source_format, f.file_name,
          tg.tags
        FROM page
        JOIN flights f ON f.id = page.id
        LEFT JOIN tg ON tg.flight_id = f.id
        LEFT JOIN equipment ea ON ea.kind = 'aircraft' AND ea.serial = f.aircraft_serial
        LEFT JOIN equipment eb ON eb.kind = 'battery' AND eb.serial = f.battery_serial
        ORDER BY page.k_local, page.k_us, f.id`;
      const rows: Record<string, unknown>[] = (await this.#db.reader.runAndReadAll(sql, p.values)).getRowObjectsJS();
      if (rows.length === 0) return;
      const last: Record<string, unknown> = rows[rows.length - 1]!;
      after = { local: String(last.k_local), us: BigInt(last.k_us as bigint), id: num(last.id) ?? 0 };
      yield rows.map(toLogbookRow);
      if (rows.length < FLIGHT_PAGE_ROWS) return;
    }
  }
}

function toLogbookRow(r: Record<string, unknown>): LogbookRow {
  return {
    id: num(r.id) ?? 0,
    name: String(r.display_name),
    customName: str(r.custom_name),
    aircraftName: str(r.aircraft_name),
    aircraftModel: str(r.aircraft_model),
    aircraftSerial: str(r.aircraft_serial),
    batterySerial: str(r.battery_serial),
    batteryName: str(r.battery_name),
    localStart: String(r.local_start),
    localKnown: r.local_known === true,
    timeZone: str(r.time_zone),
    startTime: iso(r.start_time) ?? '',
    durationS: num(r.duration_s),
    distanceM: num(r.distance_m),
    maxHeightM: num(r.max_height_m),
    maxAltitudeM: num(r.max_altitude_m),
    maxDistanceFromHomeM: num(r.max_distance_from_home_m),
    maxSpeedMps: num(r.max_horizontal_speed_mps),
    takeoffLat: num(r.takeoff_lat),
    takeoffLon: num(r.takeoff_lon),
    landingLat: num(r.landing_lat),
    landingLon: num(r.landing_lon),
    place: str(r.place),
    batteryStartPercent: num(r.battery_start_percent),
    batteryEndPercent: num(r.battery_end_percent),
    batteryStartTempC: num(r.battery_start_temp_c),
    batteryEndTempC: num(r.battery_end_temp_c),
    batteryStartVoltageV: num(r.battery_start_voltage_v),
    batteryEndVoltageV: num(r.battery_end_voltage_v),
    photoCount: num(r.photo_count) ?? 0,
    videoCount: num(r.video_count) ?? 0,
    tags: Array.isArray(r.tags) ? r.tags.map(String) : [],
    notes: str(r.notes),
    sourceFormat: String(r.source_format),
    fileName: str(r.file_name),
  };
}
