import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type {
  AircraftSummary,
  BatterySummary,
  FlightDetail,
  FlightMessage,
  FlightSortField,
  FlightSummary,
  FlightTotals,
  ParseWarning,
  SortOrder,
} from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { finite } from './analytics-sql.repository.js';
import { replaceManualTags } from './tag.repository.js';

/**
 * Reads and edits of the `flights` table (the flight aggregate root). Deleting a flight removes its
 * telemetry, messages and tags in the same transaction. The write path of the importer lives in
 * flight-write.repository.ts.
 */

// ---------------------------------------------------------------------------------------------
// Small SQL helpers (DuckDB → plain JS conversion lives here, nowhere above the repositories)
// ---------------------------------------------------------------------------------------------

/** Collects positional parameters and hands out their `$n` placeholders. */
export class SqlParams {
  readonly values: DuckDBValue[] = [];
  add(value: DuckDBValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  list(values: readonly DuckDBValue[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** A finite JS number or null (DuckDB BIGINT arrives as bigint; NaN/∞ are not JSON). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function int(v: unknown): number {
  return num(v) ?? 0;
}

/** A text value, null for NULL. */
export function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** TIMESTAMPTZ arrives as a JS Date. */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The name shown for a flight: the pilot's name, else "<model> · <UTC start YYYY-MM-DD HH:MM>".
 * Defined once, here in SQL, so that list, detail, sorting by name and free-text search all agree.
 * UTC because the schema has no time zone per flight yet (see the README).
 */
export const DISPLAY_NAME_SQL = `coalesce(
  nullif(trim(f.name), ''),
  coalesce(nullif(trim(f.aircraft_model), ''), nullif(trim(f.aircraft_name), ''), 'Flight')
    || ' · ' || strftime(make_timestamp(epoch_us(f.start_time)), '%Y-%m-%d %H:%M'))`;

/** Comparable sort key per API sort field (NULL = no value; such flights come last). */
const SORT_KEY_SQL: Record<FlightSortField, string> = {
  startTime: 'epoch_us(f.start_time)',
  duration: finite('f.duration_s'),
  distance: finite('f.distance_m'),
  maxHeight: finite('f.max_height_m'),
  name: `lower(${DISPLAY_NAME_SQL})`,
};

// ---------------------------------------------------------------------------------------------
// Types the service works with
// ---------------------------------------------------------------------------------------------

export interface FlightFilter {
  /** Inclusive lower bound of the start time, ISO-8601 instant. */
  startFrom?: string;
  /** Exclusive upper bound of the start time, ISO-8601 instant. */
  startBefore?: string;
  aircraftSerials?: string[];
  batterySerials?: string[];
  /** Compared case-insensitively. */
  tags?: string[];
  tagMatch?: 'any' | 'all';
  /** Case-insensitive substring. */
  text?: string;
}

export type SortKeyValue = number | string | null;

/** Keyset position: rows strictly after (key, id) in the requested order. */
export interface KeysetAfter {
  key: SortKeyValue;
  id: number;
}

export interface FlightListRequest {
  filter: FlightFilter;
  sort: FlightSortField;
  order: SortOrder;
  limit: number;
  offset: number;
  after?: KeysetAfter;
}

/** A summary row before tags are attached, with its sort key for the next cursor. */
export type FlightSummaryRow = Omit<FlightSummary, 'tags'> & { sortKey: SortKeyValue };
export type FlightDetailRow = Omit<FlightDetail, 'tags' | 'messages'>;

export interface FlightChanges {
  name?: string | null;
  notes?: string | null;
  color?: string | null;
}

export interface DeletedCounts {
  flights: number;
  telemetry: number;
  messages: number;
  tags: number;
}

const SUMMARY_COLUMNS = `
  f.id, ${DISPLAY_NAME_SQL} AS display_name, nullif(trim(f.name), '') AS custom_name,
  f.start_time, f.end_time, f.local_time_zone, f.duration_s, f.distance_m, f.max_height_m, f.max_horizontal_speed_mps,
  f.max_distance_from_home_m, f.aircraft_name, f.aircraft_model, f.aircraft_serial, f.battery_serial,
  f.home_lat, f.home_lon, f.photo_count, f.video_count, f.battery_start_percent, f.battery_end_percent,
  f.file_name, f.color`;

function toSummary(r: Record<string, unknown>): Omit<FlightSummary, 'tags'> {
  return {
    id: int(r.id),
    name: String(r.display_name),
    customName: str(r.custom_name),
    startTime: iso(r.start_time) ?? '',
    endTime: iso(r.end_time),
    localTimeZone: str(r.local_time_zone),
    durationS: num(r.duration_s),
    distanceM: num(r.distance_m),
    maxHeightM: num(r.max_height_m),
    maxHorizontalSpeedMps: num(r.max_horizontal_speed_mps),
    maxDistanceFromHomeM: num(r.max_distance_from_home_m),
    aircraftName: str(r.aircraft_name),
    aircraftModel: str(r.aircraft_model),
    aircraftSerial: str(r.aircraft_serial),
    batterySerial: str(r.battery_serial),
    homeLat: num(r.home_lat),
    homeLon: num(r.home_lon),
    photoCount: int(r.photo_count),
    videoCount: int(r.video_count),
    batteryStartPercent: num(r.battery_start_percent),
    batteryEndPercent: num(r.battery_end_percent),
    fileName: str(r.file_name),
    color: str(r.color),
  };
}

function parseWarnings(raw: unknown): ParseWarning[] {
  if (raw === null || raw === undefined) return [];
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      // A malformed column must not make the flight unreadable; surface it as a warning instead.
      return [{ code: 'warnings-unreadable', count: 1, message: 'The parse warnings stored for this flight could not be read.' }];
    }
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter((w): w is Record<string, unknown> => typeof w === 'object' && w !== null)
    .map((w) => ({ code: String(w.code ?? 'unknown'), count: int(w.count), message: String(w.message ?? '') }));
}

/**
 * WHERE clause (without the keyword) for the list filters over `flights f`; always valid SQL. Shared by every
 * feature that follows the list filters (overview, exports, report) so they cannot drift apart.
 */
export function flightWhereSql(filter: FlightFilter, p: SqlParams): string {
  const clauses: string[] = ['TRUE'];
  if (filter.startFrom) clauses.push(`f.start_time >= ${p.add(filter.startFrom)}::TIMESTAMPTZ`);
  if (filter.startBefore) clauses.push(`f.start_time < ${p.add(filter.startBefore)}::TIMESTAMPTZ`);
  if (filter.aircraftSerials?.length) clauses.push(`f.aircraft_serial IN (${p.list(filter.aircraftSerials)})`);
  if (filter.batterySerials?.length) clauses.push(`f.battery_serial IN (${p.list(filter.batterySerials)})`);
  if (filter.tags?.length) {
    const tags = [...new Set(filter.tags.map((t) => t.toLowerCase()))];
    const inList = tags.map((t) => `lower(${p.add(t)})`).join(', ');
    clauses.push(
      filter.tagMatch === 'all'
        ? `f.id IN (SELECT flight_id FROM flight_tags WHERE lower(tag) IN (${inList}) GROUP BY flight_id HAVING count(DISTINCT lower(tag)) = ${tags.length})`
        : `f.id IN (SELECT flight_id FROM flight_tags WHERE lower(tag) IN (${inList}))`,
    );
  }
  if (filter.text) {
    const q = p.add(filter.text);
    const cols = [DISPLAY_NAME_SQL, 'f.notes', 'f.aircraft_name', 'f.aircraft_model', 'f.file_name'];
    clauses.push(`(${cols.map((c) => `contains(lower(coalesce(${c}, '')), lower(${q}))`).join(' OR ')})`);
  }
  return clauses.join(' AND ');
}

export class FlightRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  #where(filter: FlightFilter, p: SqlParams): string {
    return flightWhereSql(filter, p);
  }

  /** One page of flight summaries (without tags), in the requested order. */
  async list(req: FlightListRequest): Promise<FlightSummaryRow[]> {
    const p = new SqlParams();
    const where = this.#where(req.filter, p);
    const dir = req.order === 'asc' ? 'ASC' : 'DESC';
    let after = 'TRUE';
    if (req.after) {
      const cmp = req.order === 'asc' ? '>' : '<';
      const id = p.add(req.after.id);
      if (req.after.key === null) {
        after = `(sort_key IS NULL AND id ${cmp} ${id})`;
      } else {
        const key = p.add(req.after.key);
        after = `(sort_key ${cmp} ${key} OR (sort_key = ${key} AND id ${cmp} ${id}) OR sort_key IS NULL)`;
      }
    }
    const sql = `
      SELECT * FROM (
        SELECT ${SUMMARY_COLUMNS}, ${SORT_KEY_SQL[req.sort]} AS sort_key
        FROM flights f
        WHERE ${where}
      )
      WHERE ${after}
      ORDER BY sort_key ${dir} NULLS LAST, id ${dir}
      LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
    const rows = (await this.#db.reader.runAndReadAll(sql, p.values)).getRowObjectsJS();
    return rows.map((r) => {
      const key = r.sort_key;
      return { ...toSummary(r), sortKey: typeof key === 'string' ? key : num(key) };
    });
  }

  /** Count and sums over every flight matching the filter; reads the flights table only. */
  async totals(filter: FlightFilter): Promise<FlightTotals> {
    const p = new SqlParams();
    const sql = `
      SELECT count(*) AS flights,
             coalesce(sum(${finite('f.duration_s')}), 0) AS duration_s,
             coalesce(sum(${finite('f.distance_m')}), 0) AS distance_m,
             max(${finite('f.max_height_m')}) AS max_height_m
      FROM flights f
      WHERE ${this.#where(filter, p)}`;
    const r = (await this.#db.reader.runAndReadAll(sql, p.values)).getRowObjectsJS()[0] ?? {};
    return { flights: int(r.flights), durationS: num(r.duration_s) ?? 0, distanceM: num(r.distance_m) ?? 0, maxHeightM: num(r.max_height_m) };
  }

  async exists(id: number): Promise<boolean> {
    const r = await this.#db.reader.runAndReadAll('SELECT 1 FROM flights WHERE id = $1', [id]);
    return r.currentRowCount > 0;
  }

  /** Every column of one flight (without tags and messages), or null. */
  async findById(id: number): Promise<FlightDetailRow | null> {
    const sql = `
      SELECT ${SUMMARY_COLUMNS}, f.notes, f.file_size, f.source_format, f.log_version, f.product_type,
        f.camera_serial, f.rc_serial, f.home_altitude_m, f.home_source, f.takeoff_lat, f.takeoff_lon,
        f.landing_lat, f.landing_lon, f.max_altitude_m, f.max_vertical_speed_mps, f.battery_cycles,
        f.battery_design_capacity_mah, f.battery_min_temp_c, f.battery_max_temp_c, f.min_voltage_v, f.app, f.firmware, f.place,
        f.frame_count, f.gps_frame_count, f.parse_warnings::VARCHAR AS parse_warnings, f.imported_at, f.updated_at
      FROM flights f WHERE f.id = $1`;
    const r = (await this.#db.reader.runAndReadAll(sql, [id])).getRowObjectsJS()[0];
    if (!r) return null;
    return {
      ...toSummary(r),
      notes: str(r.notes),
      fileSize: num(r.file_size),
      sourceFormat: String(r.source_format),
      logVersion: num(r.log_version),
      productType: str(r.product_type),
      cameraSerial: str(r.camera_serial),
      rcSerial: str(r.rc_serial),
      homeAltitudeM: num(r.home_altitude_m),
      homeSource: str(r.home_source),
      takeoffLat: num(r.takeoff_lat),
      takeoffLon: num(r.takeoff_lon),
      landingLat: num(r.landing_lat),
      landingLon: num(r.landing_lon),
      maxAltitudeM: num(r.max_altitude_m),
      maxVerticalSpeedMps: num(r.max_vertical_speed_mps),
      batteryCycles: num(r.battery_cycles),
      batteryDesignCapacityMah: num(r.battery_design_capacity_mah),
      batteryMinTempC: num(r.battery_min_temp_c),
      batteryMaxTempC: num(r.battery_max_temp_c),
      minVoltageV: num(r.min_voltage_v),
      app: str(r.app),
      firmware: str(r.firmware),
      place: str(r.place),
      frameCount: int(r.frame_count),
      gpsFrameCount: int(r.gps_frame_count),
      importedAt: iso(r.imported_at) ?? '',
      updatedAt: iso(r.updated_at) ?? '',
      parseWarnings: parseWarnings(r.parse_warnings),
    };
  }

  async messages(id: number): Promise<FlightMessage[]> {
    const r = await this.#db.reader.runAndReadAll(
      'SELECT t_ms, severity, text FROM flight_messages WHERE flight_id = $1 ORDER BY t_ms, rowid',
      [id],
    );
    return r.getRowObjectsJS().map((m) => ({ tMs: int(m.t_ms), severity: String(m.severity), text: String(m.text) }));
  }

  /**
   * Applies the given changes (only the keys present) and, when `manualTags` is given, makes it the
   * flight's exact set of manual tags; bumps updated_at. One transaction. False if the flight is missing.
   */
  async update(id: number, changes: FlightChanges, manualTags?: string[]): Promise<boolean> {
    return this.#db.transaction(async (conn) => {
      if (!(await exists(conn, id))) return false;
      const p = new SqlParams();
      const sets = ['updated_at = now()'];
      if (changes.name !== undefined) sets.push(`name = ${p.add(changes.name)}`);
      if (changes.notes !== undefined) sets.push(`notes = ${p.add(changes.notes)}`);
      if (changes.color !== undefined) sets.push(`color = ${p.add(changes.color)}`);
      await conn.run(`UPDATE flights SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
      if (manualTags) await replaceManualTags(conn, id, manualTags);
      return true;
    });
  }

  /** Deletes the flight with its telemetry, messages and tags in one transaction; null if it was missing. */
  async delete(id: number): Promise<DeletedCounts | null> {
    return this.#db.transaction(async (conn) => {
      if (!(await exists(conn, id))) return null;
      const del = async (table: string, column: string) => {
        const r = await conn.run(`DELETE FROM ${table} WHERE ${column} = $1`, [id]);
        return r.rowsChanged;
      };
      const telemetry = await del('telemetry', 'flight_id');
      await del('telemetry_envelope', 'flight_id');
      const messages = await del('flight_messages', 'flight_id');
      const tags = await del('flight_tags', 'flight_id');
      const flights = await del('flights', 'id');
      return { flights, telemetry, messages, tags };
    });
  }

  /** Distinct aircraft serials with their latest name/model and flight counts, most recently flown first. */
  async aircraft(): Promise<AircraftSummary[]> {
    const r = await this.#db.reader.runAndReadAll(`
      SELECT f.aircraft_serial AS serial,
             arg_max(nullif(trim(f.aircraft_name), ''), f.start_time) AS name,
             arg_max(nullif(trim(f.aircraft_model), ''), f.start_time) AS model,
             count(*) AS flight_count,
             coalesce(sum(${finite('f.duration_s')}), 0) AS total_duration_s,
             max(f.start_time) AS last_flight_at
      FROM flights f
      WHERE nullif(trim(f.aircraft_serial), '') IS NOT NULL
      GROUP BY f.aircraft_serial
      ORDER BY last_flight_at DESC, serial`);
    return r.getRowObjectsJS().map((a) => ({
      serial: String(a.serial),
      name: str(a.name),
      model: str(a.model),
      flightCount: int(a.flight_count),
      totalDurationS: num(a.total_duration_s) ?? 0,
      lastFlightAt: iso(a.last_flight_at) ?? '',
    }));
  }

  /** Distinct battery serials with flight counts, most recently flown first. */
  async batteries(): Promise<BatterySummary[]> {
    const r = await this.#db.reader.runAndReadAll(`
      SELECT f.battery_serial AS serial,
             arg_max(coalesce(nullif(trim(f.aircraft_model), ''), nullif(trim(f.aircraft_name), '')), f.start_time) AS aircraft_model,
             count(*) AS flight_count,
             coalesce(sum(${finite('f.duration_s')}), 0) AS total_duration_s,
             max(f.battery_cycles) AS max_cycles,
             max(f.start_time) AS last_flight_at
      FROM flights f
      WHERE nullif(trim(f.battery_serial), '') IS NOT NULL
      GROUP BY f.battery_serial
      ORDER BY last_flight_at DESC, serial`);
    return r.getRowObjectsJS().map((b) => ({
      serial: String(b.serial),
      aircraftModel: str(b.aircraft_model),
      flightCount: int(b.flight_count),
      totalDurationS: num(b.total_duration_s) ?? 0,
      maxCycles: num(b.max_cycles),
      lastFlightAt: iso(b.last_flight_at) ?? '',
    }));
  }
}

async function exists(conn: DuckDBConnection, id: number): Promise<boolean> {
  const r = await conn.runAndReadAll('SELECT 1 FROM flights WHERE id = $1', [id]);
  return r.currentRowCount > 0;
}
