import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.js';
import { SIGNATURE_START_TOLERANCE_MS } from './flight-write.repository.js';
import { odlFileKeychainKey } from './keychain.repository.js';

/**
 * The SQL of importing an Open DroneLog backup: what its parquet files hold (checked against the columns ODL writes,
 * shared/docs/open-dronelog.md §2), and one write transaction that maps ODL's flights, telemetry, tags, messages,
 * customizations, equipment names and cached keychains onto this profile's tables. Table names are unqualified: the
 * `Database` given is the profile's schema view.
 */

export const ODL_TABLE_NAMES = [
  'flights',
  'telemetry',
  'keychains',
  'flight_tags',
  'flight_messages',
  'equipment_names',
  'flight_customizations',
  'settings',
] as const;
export type OdlTableName = (typeof ODL_TABLE_NAMES)[number];

/** The backup's data does not fit what Open DroneLog writes (message for the pilot). */
export class OdlBackupDataError extends Error {
  override readonly name = 'OdlBackupDataError';
}

type Kind = 'int' | 'float' | 'text' | 'time' | 'bool';
interface ColumnSpec {
  kind: Kind;
  /** The column must be there (older ODL versions lack some of the others; those read as NULL). */
  required?: boolean;
}

const req = (kind: Kind): ColumnSpec => ({ kind, required: true });
const opt = (kind: Kind): ColumnSpec => ({ kind });

/** The columns this import reads, per table; other columns (later ODL versions, forks) are ignored. */
const ODL_COLUMNS: Record<OdlTableName, Record<string, ColumnSpec>> = {
  flights: {
    id: req('int'), file_name: opt('text'), display_name: opt('text'), file_hash: opt('text'), drone_model: opt('text'),
    drone_serial: opt('text'), aircraft_name: opt('text'), battery_serial: opt('text'), rc_serial: opt('text'),
    start_time: req('time'), end_time: opt('time'), duration_secs: opt('float'), total_distance: opt('float'),
    max_altitude: opt('float'), max_speed: opt('float'), home_lat: opt('float'), home_lon: opt('float'),
    photo_count: opt('int'), video_count: opt('int'), cycle_count: opt('int'), imported_at: opt('time'),
    notes: opt('text'), color: opt('text'),
  },
  telemetry: {
    flight_id: req('int'), timestamp_ms: req('int'), latitude: opt('float'), longitude: opt('float'), altitude: opt('float'),
    height: opt('float'), vps_height: opt('float'), speed: opt('float'), velocity_x: opt('float'), velocity_y: opt('float'),
    velocity_z: opt('float'), pitch: opt('float'), roll: opt('float'), yaw: opt('float'), gimbal_pitch: opt('float'),
    gimbal_roll: opt('float'), gimbal_yaw: opt('float'), battery_percent: opt('float'), battery_voltage: opt('float'),
    battery_current: opt('float'), battery_temp: opt('float'), cell_voltages: opt('text'), battery_full_capacity: opt('float'),
    battery_remained_capacity: opt('float'), flight_mode: opt('text'), gps_signal: opt('float'), satellites: opt('float'),
    rc_signal: opt('float'), rc_uplink: opt('float'), rc_downlink: opt('float'), rc_aileron: opt('float'),
    rc_elevator: opt('float'), rc_throttle: opt('float'), rc_rudder: opt('float'), is_photo: opt('bool'), is_video: opt('bool'),
  },
  // 3.3.0 keys the cache by file_hash; 3.2.1 had serial_number (never written), so file_hash is optional here.
  keychains: { file_hash: opt('text'), encryption_key: req('text'), fetched_at: opt('time') },
  flight_tags: { flight_id: req('int'), tag: req('text'), tag_type: opt('text') },
  flight_messages: { flight_id: req('int'), timestamp_ms: req('int'), message_type: opt('text'), message: req('text') },
  equipment_names: { serial: req('text'), equipment_type: req('text'), display_name: req('text') },
  flight_customizations: { file_hash: req('text'), display_name: opt('text'), notes: opt('text'), color: opt('text'), manual_tags: opt('text') },
  settings: { key: req('text') },
};

const INT_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);

function fits(kind: Kind, type: string): boolean {
  const t = type.toUpperCase();
  switch (kind) {
    case 'int':
      return INT_TYPES.has(t);
    case 'float':
      return INT_TYPES.has(t) || t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL');
    case 'text':
      return t === 'VARCHAR' || t === 'JSON';
    case 'time':
      return t.startsWith('TIMESTAMP') || t === 'DATE';
    case 'bool':
      return t === 'BOOLEAN' || INT_TYPES.has(t);
  }
}

const EXPECTED: Record<Kind, string> = {
  int: 'a whole number',
  float: 'a number',
  text: 'text',
  time: 'a timestamp',
  bool: 'true/false',
};

/** One parquet file as described by DuckDB: column → type, and its row count. */
export interface OdlFileInfo {
  table: OdlTableName;
  path: string;
  columns: Map<string, string>;
  rows: number;
}

/** Zone and wall clock at take-off, computed by the caller (offline time-zone lookup). */
export type LocalTimeOf = (latitude: number, longitude: number, startIso: string) => { timeZone: string; localStartTime: string } | null;

export interface OdlImportCounts {
  flightsInBackup: number;
  flightsImported: number;
  flightsAlreadyPresent: number;
  telemetryRows: number;
  messages: number;
  tagsAuto: number;
  tagsManual: number;
  customizationsApplied: number;
  customizationsWithoutFlight: number;
  equipmentImported: number;
  equipmentAlreadyPresent: number;
  keychainsImported: number;
  keychainsAlreadyPresent: number;
  settingsRows: number;
  warnings: string[];
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

async function rows(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
}

/** The "Count" a DuckDB INSERT / DELETE answers with. */
async function changed(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<number> {
  const r = await conn.runAndReadAll(sql, params);
  return Number(r.getRowsJS()[0]?.[0] ?? 0);
}

function n(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Largest |value| kept in a FLOAT column (anything beyond is garbage and would not even convert). */
const FLOAT_LIMIT = '1e30';
/** t_ms is an INTEGER: rows outside 0 … 2^31−1 ms (24.8 days) cannot be a flight's. */
const MAX_T_MS = 2_147_483_647;
const WINDOW = `INTERVAL ${SIGNATURE_START_TOLERANCE_MS} MILLISECOND`;
const EARTH_RADIUS_M = 6_371_008.8;
/** ODL's colour for "no label". */
const ODL_DEFAULT_COLOR = '#7dd3fc';
/** Limits of what the flight edit API accepts (contracts FlightPatchBody, TAG_MAX_LENGTH, TAGS_MAX_PER_FLIGHT). */
const NAME_MAX = 200;
const NOTES_MAX = 10_000;
const TAG_MAX = 40;
const MANUAL_TAGS_MAX = 50;
const EQUIPMENT_NAME_MAX = 100;
const MESSAGE_MAX = 1_000;

/** SQL reading one ODL column of a parquet file as our type, or a typed NULL when the file lacks it. */
class Columns {
  constructor(private readonly info: OdlFileInfo | undefined) {}

  has(name: string): boolean {
    return this.info?.columns.has(name) ?? false;
  }

  int(name: string): string {
    return this.has(name) ? `TRY_CAST(${ident(name)} AS BIGINT)` : 'NULL::BIGINT';
  }

  /** Finite doubles only (NaN / ±∞ / absurd magnitudes are "not recorded"). */
  float(name: string): string {
    if (!this.has(name)) return 'NULL::DOUBLE';
    const v = `TRY_CAST(${ident(name)} AS DOUBLE)`;
    return `(CASE WHEN isfinite(${v}) AND abs(${v}) < ${FLOAT_LIMIT} THEN ${v} END)`;
  }

  text(name: string): string {
    return this.has(name) ? `nullif(trim(CAST(${ident(name)} AS VARCHAR)), '')` : 'NULL::VARCHAR';
  }

  /** An instant; a timestamp without zone is UTC (DuckDB's own cast would use the session time zone). */
  time(name: string): string {
    const type = this.info?.columns.get(name);
    if (type === undefined) return 'NULL::TIMESTAMPTZ';
    if (type.toUpperCase() === 'TIMESTAMP WITH TIME ZONE') return ident(name);
    return `timezone('UTC', CAST(${ident(name)} AS TIMESTAMP))`;
  }

  bool(name: string): string {
    return this.has(name) ? `TRY_CAST(${ident(name)} AS BOOLEAN)` : 'NULL::BOOLEAN';
  }
}

function parquet(file: string): string {
  return `read_parquet(${literal(file)})`;
}

/** A real position: both set, in range, not DJI's "0,0" for no fix. */
function fixSql(lat: string, lon: string): string {
  return `(${lat} IS NOT NULL AND ${lon} IS NOT NULL AND abs(${lat}) <= 90 AND abs(${lon}) <= 180 AND NOT (abs(${lat}) < 1e-5 AND abs(${lon}) < 1e-5))`;
}

function haversineSql(lat1: string, lon1: string, lat2: string, lon2: string): string {
  return `(2 * ${EARTH_RADIUS_M} * asin(least(1, sqrt(pow(sin(radians(${lat2} - ${lat1}) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2)))))`;
}

/** A FLOAT aggregate as a DOUBLE with the value as recorded (15.9, not 15.899999618530273), as migration 5 does. */
function exact(expr: string): string {
  return `(${expr})::VARCHAR::DOUBLE`;
}

const TEMP_TABLES = ['odl_flights', 'odl_map', 'odl_fix', 'odl_agg', 'odl_local', 'odl_custom', 'odl_tags', 'odl_equipment', 'odl_keychains'];

export class OdlBackupRepository {
  constructor(private readonly db: Database) {}

  /**
   * Reads each file's columns and row count and checks the columns this import needs against ODL's schema. Throws
   * OdlBackupDataError naming the first file that is not readable parquet or lacks / mistypes a needed column.
   */
  async describe(files: Array<{ table: OdlTableName; path: string; name: string }>): Promise<OdlFileInfo[]> {
    return this.db.withConnection(async (conn) => {
      const out: OdlFileInfo[] = [];
      for (const f of files) {
        let columns: Map<string, string>;
        let count: number;
        try {
          columns = new Map(
            (await rows(conn, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${parquet(f.path)})`)).map((r) => [
              String(r.column_name),
              String(r.column_type),
            ]),
          );
          count = n((await rows(conn, `SELECT count(*) AS n FROM ${parquet(f.path)}`))[0]?.n);
        } catch (err) {
          // DuckDB names the file by its temp path: name it as the archive does.
          const why = ((err as Error).message.split('\n')[0] ?? '').replaceAll(f.path, f.name);
          throw new OdlBackupDataError(`${f.name} is not readable parquet (${why}).`);
        }
        for (const [col, spec] of Object.entries(ODL_COLUMNS[f.table])) {
          const type = columns.get(col);
          if (type === undefined) {
            if (spec.required) throw new OdlBackupDataError(`${f.name} has no column "${col}": it is not Open DroneLog's ${f.table} table.`);
            continue;
          }
          if (!fits(spec.kind, type)) {
            throw new OdlBackupDataError(`${f.name}: column "${col}" is ${type}; Open DroneLog writes ${EXPECTED[spec.kind]} there.`);
          }
        }
        out.push({ table: f.table, path: f.path, columns, rows: count });
      }
      return out;
    });
  }

  /**
   * Everything in ONE write transaction: stage ODL's flights, match them against the flights already here (file
   * SHA-256, else aircraft + battery serial + start time ±2 s as the importer does), append the new flights' telemetry
   * in flight order, compute the per-flight aggregates the flights row keeps (the same definitions as the importer and
   * migration 5, from the telemetry just written), then the flights rows, tags, messages, equipment names and keychains.
   * Any error rolls all of it back.
   */
  async importBackup(files: OdlFileInfo[], localTimeOf: LocalTimeOf): Promise<OdlImportCounts> {
    const by = new Map(files.map((f) => [f.table, f]));
    const flightsFile = by.get('flights');
    const telemetryFile = by.get('telemetry');
    if (!flightsFile || !telemetryFile) throw new OdlBackupDataError('The backup lacks flights.parquet or telemetry.parquet.');

    return this.db.transaction(async (conn) => {
      try {
        return await this.#import(conn, by, flightsFile, telemetryFile, localTimeOf);
      } finally {
        // Temp tables live on the shared write connection: never leave them behind (a failed statement has already
        // aborted the transaction, whose rollback removes them anyway).
        for (const t of TEMP_TABLES) await conn.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
      }
    });
  }

  async #import(
    conn: DuckDBConnection,
    by: Map<OdlTableName, OdlFileInfo>,
    flightsFile: OdlFileInfo,
    telemetryFile: OdlFileInfo,
    localTimeOf: LocalTimeOf,
  ): Promise<OdlImportCounts> {
    const warnings: string[] = [];
    const f = new Columns(flightsFile);
    const t = new Columns(telemetryFile);

    // --- ODL's flights, cleaned and de-duplicated -------------------------------------------------------------
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_flights AS
      WITH raw AS (
        SELECT row_number() OVER () AS rn,
          ${f.int('id')} AS odl_id,
          ${f.text('file_name')} AS file_name,
          ${f.text('display_name')} AS display_name,
          lower(${f.text('file_hash')}) AS raw_hash,
          ${f.text('drone_model')} AS drone_model,
          ${f.text('drone_serial')} AS drone_serial,
          ${f.text('aircraft_name')} AS aircraft_name,
          ${f.text('battery_serial')} AS battery_serial,
          ${f.text('rc_serial')} AS rc_serial,
          ${f.time('start_time')} AS raw_start,
          ${f.time('end_time')} AS end_time,
          CASE WHEN ${f.float('duration_secs')} BETWEEN 0 AND 1e7 THEN ${f.float('duration_secs')} END AS duration_s,
          ${f.float('total_distance')} AS total_distance,
          ${f.float('max_altitude')} AS max_altitude,
          ${f.float('max_speed')} AS max_speed,
          ${f.float('home_lat')} AS raw_home_lat,
          ${f.float('home_lon')} AS raw_home_lon,
          CASE WHEN ${f.int('photo_count')} BETWEEN 0 AND 1000000 THEN ${f.int('photo_count')} END AS photo_count,
          CASE WHEN ${f.int('video_count')} BETWEEN 0 AND 1000000 THEN ${f.int('video_count')} END AS video_count,
          CASE WHEN ${f.int('cycle_count')} BETWEEN 0 AND 100000 THEN ${f.int('cycle_count')} END AS cycle_count,
          ${f.time('imported_at')} AS imported_at,
          ${f.has('notes') ? `nullif(trim(CAST(notes AS VARCHAR)), '')` : 'NULL::VARCHAR'} AS notes,
          lower(${f.text('color')}) AS color
        FROM ${parquet(flightsFile.path)}
      ), checked AS (
        SELECT *,
          CASE WHEN regexp_full_match(raw_hash, '[0-9a-f]{64}') THEN raw_hash END AS file_hash,
          coalesce(raw_start,
            CASE WHEN end_time IS NOT NULL AND duration_s IS NOT NULL THEN end_time - to_milliseconds(CAST(round(duration_s * 1000) AS BIGINT)) END,
            imported_at) AS start_time,
          CASE WHEN ${fixSql('raw_home_lat', 'raw_home_lon')} THEN raw_home_lat END AS home_lat,
          CASE WHEN ${fixSql('raw_home_lat', 'raw_home_lon')} THEN raw_home_lon END AS home_lon
        FROM raw
      )
      SELECT *,
        row_number() OVER (PARTITION BY odl_id ORDER BY rn) AS id_rank,
        CASE WHEN file_hash IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY file_hash ORDER BY rn) END AS hash_rank
      FROM checked`);
    const q = (await rows(conn, `SELECT count(*) AS total,
        count(*) FILTER (WHERE odl_id IS NULL) AS no_id,
        count(*) FILTER (WHERE odl_id IS NOT NULL AND id_rank > 1) AS dup_id,
        count(*) FILTER (WHERE odl_id IS NOT NULL AND id_rank = 1 AND hash_rank > 1) AS dup_hash,
        count(*) FILTER (WHERE raw_hash IS NOT NULL AND file_hash IS NULL) AS bad_hash,
        count(*) FILTER (WHERE raw_start IS NULL AND start_time IS NOT NULL) AS start_guessed,
        count(*) FILTER (WHERE odl_id IS NOT NULL AND id_rank = 1 AND hash_rank = 1 AND start_time IS NULL) AS no_start
      FROM odl_flights`))[0]!;
    const flightsInBackup = n(q.total);
    if (n(q.no_id)) warnings.push(`${plural(n(q.no_id), 'flight')} without an id left out.`);
    if (n(q.dup_id)) warnings.push(`${plural(n(q.dup_id), 'flight')} repeating another flight's id left out.`);
    if (n(q.dup_hash)) warnings.push(`${plural(n(q.dup_hash), 'flight')} repeating another flight's file hash left out.`);
    if (n(q.bad_hash)) warnings.push(`${plural(n(q.bad_hash), 'flight')} had a file hash that is not a SHA-256; imported without it.`);
    if (n(q.start_guessed)) warnings.push(`${plural(n(q.start_guessed), 'flight')} had no start time; taken from the end time and duration, or the import time.`);
    if (n(q.no_start)) warnings.push(`${plural(n(q.no_start), 'flight')} without any start time left out.`);
    await conn.run(`DELETE FROM odl_flights WHERE odl_id IS NULL OR id_rank > 1 OR hash_rank > 1 OR start_time IS NULL`);

    // --- match against this logbook; new ids for the rest -------------------------------------------------------
    const nextId = await this.#flightIdDefault(conn);
    const blank = (col: string) => `coalesce(regexp_full_match(${col}, '[\\s0]*'), true)`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_map AS
      WITH matched AS (
        SELECT s.odl_id, coalesce(
          (SELECT min(x.id) FROM flights x WHERE s.file_hash IS NOT NULL AND x.file_hash = s.file_hash),
          (SELECT min(x.id) FROM flights x
            WHERE NOT ${blank('s.drone_serial')} AND x.aircraft_serial = s.drone_serial
              AND (x.battery_serial = s.battery_serial OR (${blank('x.battery_serial')} AND ${blank('s.battery_serial')}))
              AND x.start_time BETWEEN s.start_time - ${WINDOW} AND s.start_time + ${WINDOW}),
          -- No serial to go by (rare logs, odd manual entries): the same file name at the same time.
          (SELECT min(x.id) FROM flights x
            WHERE ${blank('s.drone_serial')} AND ${blank('x.aircraft_serial')} AND s.file_name IS NOT NULL AND x.file_name = s.file_name
              AND x.start_time BETWEEN s.start_time - ${WINDOW} AND s.start_time + ${WINDOW})
        ) AS existing_id
        FROM odl_flights s
      )
      SELECT odl_id, existing_id, CASE WHEN existing_id IS NULL THEN ${nextId} END AS new_id FROM matched`);
    const m = (await rows(conn, `SELECT count(new_id) AS added, count(existing_id) AS present FROM odl_map`))[0]!;
    const flightsImported = n(m.added);
    const flightsAlreadyPresent = n(m.present);

    // --- telemetry: first/last GPS fix per flight, then the rows in flight order -----------------------------
    const tel = `(SELECT ${t.int('flight_id')} AS flight_id, ${t.int('timestamp_ms')} AS ts, ${t.float('latitude')} AS lat, ${t.float('longitude')} AS lon
      FROM ${parquet(telemetryFile.path)})`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_fix AS
      SELECT p.flight_id AS odl_id,
        arg_min(struct_pack(lat := p.lat, lon := p.lon), p.ts) AS first_fix,
        arg_max(struct_pack(lat := p.lat, lon := p.lon), p.ts) AS last_fix
      FROM ${tel} p JOIN odl_map m ON m.odl_id = p.flight_id AND m.new_id IS NOT NULL
      WHERE p.ts BETWEEN 0 AND ${MAX_T_MS} AND ${fixSql('p.lat', 'p.lon')}
      GROUP BY p.flight_id`);
    const home = {
      lat: 'coalesce(f.home_lat, x.first_fix.lat)',
      lon: 'coalesce(f.home_lon, x.first_fix.lon)',
    };
    const fix = fixSql('p.lat', 'p.lon');
    const floatCol = (name: string) => t.float(name);
    const telemetryRows = await changed(
      conn,
      `INSERT INTO telemetry (flight_id, t_ms, latitude, longitude, height_m, vps_height_m, altitude_m, distance_from_home_m,
         horizontal_speed_mps, vertical_speed_mps, velocity_north_mps, velocity_east_mps, velocity_down_mps,
         pitch_deg, roll_deg, yaw_deg, gimbal_pitch_deg, gimbal_roll_deg, gimbal_yaw_deg,
         battery_percent, battery_voltage_v, battery_current_a, battery_temperature_c, battery_full_capacity_mah,
         battery_remaining_capacity_mah, cell_voltages, satellites, gps_level, rc_aileron, rc_elevator, rc_throttle, rc_rudder,
         rc_uplink_percent, rc_downlink_percent, flight_mode, is_photo, is_video)
       SELECT m.new_id, CAST(p.ts AS INTEGER),
         CASE WHEN ${fix} THEN p.lat END, CASE WHEN ${fix} THEN p.lon END,
         p.height, p.vps_height, p.altitude,
         CASE WHEN ${fix} AND ${home.lat} IS NOT NULL THEN ${haversineSql(home.lat, home.lon, 'p.lat', 'p.lon')} END,
         p.speed, -p.velocity_z, p.velocity_x, p.velocity_y, p.velocity_z,
         p.pitch, p.roll, p.yaw, p.gimbal_pitch, p.gimbal_roll, p.gimbal_yaw,
         CASE WHEN p.battery_percent BETWEEN 0 AND 100 THEN p.battery_percent END, p.battery_voltage, p.battery_current, p.battery_temp,
         p.battery_full_capacity, p.battery_remained_capacity,
         TRY_CAST(TRY_CAST(p.cell_voltages AS JSON) AS FLOAT[]),
         p.satellites, p.gps_signal, p.rc_aileron, p.rc_elevator, p.rc_throttle, p.rc_rudder,
         coalesce(p.rc_uplink, p.rc_signal), p.rc_downlink, p.flight_mode, p.is_photo, p.is_video
       FROM (
         SELECT ${t.int('flight_id')} AS flight_id, ${t.int('timestamp_ms')} AS ts, ${t.float('latitude')} AS lat, ${t.float('longitude')} AS lon,
           ${['altitude', 'height', 'vps_height', 'speed', 'velocity_x', 'velocity_y', 'velocity_z', 'pitch', 'roll', 'yaw', 'gimbal_pitch',
             'gimbal_roll', 'gimbal_yaw', 'battery_percent', 'battery_voltage', 'battery_current', 'battery_temp', 'battery_full_capacity',
             'battery_remained_capacity', 'satellites', 'gps_signal', 'rc_signal', 'rc_uplink', 'rc_downlink', 'rc_aileron', 'rc_elevator',
             'rc_throttle', 'rc_rudder'].map((c) => `${floatCol(c)} AS ${c}`).join(', ')},
           ${t.text('cell_voltages')} AS cell_voltages, ${t.text('flight_mode')} AS flight_mode,
           ${t.bool('is_photo')} AS is_photo, ${t.bool('is_video')} AS is_video
         FROM ${parquet(telemetryFile.path)}
       ) p
       JOIN odl_map m ON m.odl_id = p.flight_id AND m.new_id IS NOT NULL
       JOIN odl_flights f ON f.odl_id = m.odl_id
       LEFT JOIN odl_fix x ON x.odl_id = m.odl_id
       WHERE p.ts BETWEEN 0 AND ${MAX_T_MS}
       ORDER BY m.new_id, p.ts`,
    );
    const orphans = (await rows(conn, `SELECT
        count(*) FILTER (WHERE p.flight_id IS NULL OR p.flight_id NOT IN (SELECT odl_id FROM odl_flights)) AS orphan,
        count(*) FILTER (WHERE p.flight_id IN (SELECT odl_id FROM odl_map WHERE new_id IS NOT NULL) AND (p.ts IS NULL OR p.ts NOT BETWEEN 0 AND ${MAX_T_MS})) AS bad_time
      FROM ${tel} p`))[0]!;
    if (n(orphans.orphan)) warnings.push(`${plural(n(orphans.orphan), 'telemetry row')} of no flight in the backup left out.`);
    if (n(orphans.bad_time)) warnings.push(`${plural(n(orphans.bad_time), 'telemetry row')} with a time outside 0 ms … 24.8 days left out.`);

    // --- per-flight aggregates from the telemetry just written (our column definitions) -----------------------
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_agg AS
      SELECT flight_id,
        count(*) AS frames,
        count(latitude) AS gps_frames,
        max(t_ms) AS last_ms,
        ${exact('max(height_m)')} AS max_height,
        ${exact('max(altitude_m)')} AS max_altitude,
        ${exact('max(horizontal_speed_mps)')} AS max_hspeed,
        ${exact('max(abs(vertical_speed_mps))')} AS max_vspeed,
        max(distance_from_home_m)::DOUBLE AS max_distance,
        ${exact('arg_min(battery_percent, t_ms) FILTER (WHERE battery_percent > 0)')} AS battery_start,
        ${exact('arg_max(battery_percent, t_ms) FILTER (WHERE battery_percent > 0)')} AS battery_end,
        ${exact('min(battery_temperature_c) FILTER (WHERE battery_voltage_v > 0)')} AS temp_min,
        ${exact('max(battery_temperature_c) FILTER (WHERE battery_voltage_v > 0)')} AS temp_max,
        ${exact('min(battery_voltage_v) FILTER (WHERE battery_voltage_v > 0)')} AS min_voltage,
        ${exact('max(battery_full_capacity_mah) FILTER (WHERE battery_full_capacity_mah > 0)')} AS capacity,
        ${exact('arg_min(battery_voltage_v, t_ms) FILTER (WHERE battery_voltage_v > 0)')} AS v_start,
        ${exact('arg_max(battery_voltage_v, t_ms) FILTER (WHERE battery_voltage_v > 0)')} AS v_end,
        ${exact('arg_min(battery_temperature_c, t_ms) FILTER (WHERE battery_voltage_v > 0 AND battery_temperature_c IS NOT NULL)')} AS temp_start,
        ${exact('arg_max(battery_temperature_c, t_ms) FILTER (WHERE battery_voltage_v > 0 AND battery_temperature_c IS NOT NULL)')} AS temp_end,
        count(*) FILTER (WHERE is_photo) AS photos
      FROM telemetry
      WHERE flight_id IN (SELECT new_id FROM odl_map WHERE new_id IS NOT NULL)
      GROUP BY flight_id`);

    // --- local take-off time: offline zone lookup of the home point (else the first fix) -----------------------
    const points = await rows(
      conn,
      `SELECT m.odl_id, ${home.lat} AS lat, ${home.lon} AS lon, epoch_ms(f.start_time) AS start_ms
       FROM odl_flights f JOIN odl_map m ON m.odl_id = f.odl_id AND m.new_id IS NOT NULL LEFT JOIN odl_fix x ON x.odl_id = f.odl_id
       WHERE ${home.lat} IS NOT NULL`,
    );
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_local (odl_id BIGINT, time_zone VARCHAR, local_start TIMESTAMP)`);
    const locals: DuckDBValue[][] = [];
    for (const p of points) {
      const local = localTimeOf(Number(p.lat), Number(p.lon), new Date(Number(p.start_ms)).toISOString());
      if (local) locals.push([BigInt(p.odl_id as bigint), local.timeZone, local.localStartTime]);
    }
    for (let i = 0; i < locals.length; i += 300) {
      const chunk = locals.slice(i, i + 300);
      await conn.run(
        `INSERT INTO odl_local VALUES ${chunk.map((_, j) => `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3}::TIMESTAMP)`).join(', ')}`,
        chunk.flat(),
      );
    }

    // --- customizations (name, notes, colour, manual tags by file hash) ---------------------------------------
    const customFile = by.get('flight_customizations');
    const c = new Columns(customFile);
    await conn.run(
      customFile
        ? `CREATE OR REPLACE TEMP TABLE odl_custom AS
           SELECT file_hash, display_name, notes, color, tags FROM (
             SELECT lower(${c.text('file_hash')}) AS file_hash, ${c.text('display_name')} AS display_name,
               ${c.has('notes') ? `nullif(trim(CAST(notes AS VARCHAR)), '')` : 'NULL::VARCHAR'} AS notes,
               lower(${c.text('color')}) AS color,
               TRY_CAST(TRY_CAST(${c.text('manual_tags')} AS JSON) AS VARCHAR[]) AS tags,
               row_number() OVER (PARTITION BY lower(${c.text('file_hash')})) AS r
             FROM ${parquet(customFile.path)})
           WHERE file_hash IS NOT NULL AND r = 1`
        : `CREATE OR REPLACE TEMP TABLE odl_custom (file_hash VARCHAR, display_name VARCHAR, notes VARCHAR, color VARCHAR, tags VARCHAR[])`,
    );
    const cu = (await rows(conn, `SELECT
        count(*) FILTER (WHERE file_hash IN (SELECT f.file_hash FROM odl_flights f JOIN odl_map m ON m.odl_id = f.odl_id AND m.new_id IS NOT NULL)) AS applied,
        count(*) FILTER (WHERE file_hash NOT IN (SELECT file_hash FROM odl_flights WHERE file_hash IS NOT NULL)) AS orphan
      FROM odl_custom`))[0]!;

    // --- tags: ODL's flight_tags and the customizations' manual tags ------------------------------------------
    const tagsFile = by.get('flight_tags');
    const tg = new Columns(tagsFile);
    await conn.run(`CREATE OR REPLACE TEMP TABLE odl_tags AS
      WITH src AS (
        ${
          tagsFile
            ? `SELECT m.new_id AS flight_id, ${tg.text('tag')} AS tag,
                 CASE WHEN lower(${tg.text('tag_type')}) = 'manual' THEN 'manual' ELSE 'auto' END AS kind
               FROM ${parquet(tagsFile.path)} s JOIN odl_map m ON m.odl_id = ${tg.int('flight_id')} AND m.new_id IS NOT NULL
               UNION ALL `
            : ''
        }
        SELECT m.new_id AS flight_id, trim(u.tag) AS tag, 'manual' AS kind
        FROM odl_flights f JOIN odl_map m ON m.odl_id = f.odl_id AND m.new_id IS NOT NULL
        JOIN (SELECT file_hash, unnest(tags) AS tag FROM odl_custom) u ON u.file_hash = f.file_hash
      ), ranked AS (
        SELECT *, row_number() OVER (PARTITION BY flight_id, lower(tag) ORDER BY kind = 'manual' DESC, tag) AS r
        FROM src WHERE tag IS NOT NULL AND tag <> ''
      )
      SELECT flight_id, tag, kind, tag_ok, row_number() OVER (PARTITION BY flight_id, kind, tag_ok ORDER BY tag) AS k
      FROM (SELECT *, length(tag) <= ${TAG_MAX} AND NOT contains(tag, ',') AS tag_ok FROM ranked WHERE r = 1)`);
    const tagRows = (await rows(conn, `SELECT
        count(*) FILTER (WHERE NOT tag_ok) AS bad,
        count(*) FILTER (WHERE tag_ok AND kind = 'manual' AND k > ${MANUAL_TAGS_MAX}) AS extra
      FROM odl_tags`))[0]!;
    if (n(tagRows.bad)) warnings.push(`${plural(n(tagRows.bad), 'tag')} longer than ${TAG_MAX} characters or holding a comma left out.`);
    if (n(tagRows.extra)) warnings.push(`${plural(n(tagRows.extra), 'manual tag')} beyond ${MANUAL_TAGS_MAX} on one flight left out.`);

    // --- the flights rows ----------------------------------------------------------------------------------------
    const isDefaultName = (v: string) =>
      `(${v} IS NULL OR ${v} = f.file_name OR ${v} = regexp_replace(coalesce(f.file_name, ''), '\\.[^./]+$', ''))`;
    const goodColor = (v: string) => `(regexp_full_match(${v}, '#[0-9a-f]{6}') AND ${v} <> '${ODL_DEFAULT_COLOR}')`;
    const hasTag = (tag: string) => `EXISTS (SELECT 1 FROM odl_tags g WHERE g.flight_id = m.new_id AND g.tag = '${tag}')`;
    const manual = `(f.file_hash IS NULL AND (f.drone_model LIKE 'Manual Entry%' OR f.file_name LIKE 'manual\\_entry\\_%' ESCAPE '\\'))`;
    const inserted = await changed(
      conn,
      `INSERT INTO flights (id, file_hash, file_name, source_format, name, notes, color, aircraft_name, aircraft_model,
         aircraft_serial, battery_serial, rc_serial, start_time, end_time, duration_s, home_lat, home_lon, home_source,
         takeoff_lat, takeoff_lon, landing_lat, landing_lon, distance_m, max_height_m, max_altitude_m, max_horizontal_speed_mps,
         max_vertical_speed_mps, max_distance_from_home_m, photo_count, video_count, battery_start_percent, battery_end_percent,
         battery_cycles, battery_min_temp_c, battery_max_temp_c, min_voltage_v, frame_count, gps_frame_count, parse_warnings,
         imported_at, updated_at, battery_full_capacity_mah, battery_start_voltage_v, battery_end_voltage_v, battery_start_temp_c,
         battery_end_temp_c, local_time_zone, local_start_time)
       SELECT m.new_id, f.file_hash, f.file_name,
         CASE WHEN ${manual} THEN 'manual'
              WHEN ${hasTag('Litchi')} THEN 'litchi-csv'
              WHEN ${hasTag('Airdata')} THEN 'airdata-csv'
              WHEN lower(f.file_name) LIKE '%.txt' THEN 'dji-txt'
              ELSE 'open-dronelog' END,
         left(CASE WHEN NOT ${isDefaultName('f.display_name')} THEN f.display_name
                   WHEN NOT ${isDefaultName('cu.display_name')} THEN cu.display_name END, ${NAME_MAX}),
         left(coalesce(f.notes, cu.notes), ${NOTES_MAX}),
         CASE WHEN ${goodColor('f.color')} THEN f.color WHEN ${goodColor('cu.color')} THEN cu.color END,
         f.aircraft_name,
         CASE WHEN ${manual} THEN nullif(regexp_extract(f.drone_model, '^Manual Entry \\((.*)\\)$', 1), '') ELSE f.drone_model END,
         f.drone_serial, f.battery_serial, f.rc_serial,
         f.start_time,
         coalesce(f.end_time, CASE WHEN f.duration_s IS NOT NULL THEN f.start_time + to_milliseconds(CAST(round(f.duration_s * 1000) AS BIGINT)) END),
         coalesce(f.duration_s, a.last_ms / 1000.0),
         ${home.lat}, ${home.lon},
         CASE WHEN ${manual} THEN 'manual' WHEN ${home.lat} IS NOT NULL THEN 'first-fix' END,
         coalesce(x.first_fix.lat, CASE WHEN ${manual} THEN f.home_lat END), coalesce(x.first_fix.lon, CASE WHEN ${manual} THEN f.home_lon END),
         x.last_fix.lat, x.last_fix.lon,
         f.total_distance,
         coalesce(a.max_height, f.max_altitude),
         a.max_altitude,
         coalesce(a.max_hspeed, f.max_speed),
         a.max_vspeed, a.max_distance,
         coalesce(f.photo_count, a.photos, 0), coalesce(f.video_count, 0),
         a.battery_start, a.battery_end, f.cycle_count, a.temp_min, a.temp_max, a.min_voltage,
         coalesce(a.frames, 0), coalesce(a.gps_frames, 0), '[]'::JSON,
         coalesce(f.imported_at, now()), now(),
         a.capacity, a.v_start, a.v_end, a.temp_start, a.temp_end,
         l.time_zone, l.local_start
       FROM odl_flights f
       JOIN odl_map m ON m.odl_id = f.odl_id AND m.new_id IS NOT NULL
       LEFT JOIN odl_fix x ON x.odl_id = f.odl_id
       LEFT JOIN odl_agg a ON a.flight_id = m.new_id
       LEFT JOIN odl_local l ON l.odl_id = f.odl_id
       LEFT JOIN odl_custom cu ON cu.file_hash = f.file_hash
       ORDER BY f.start_time, m.new_id`,
    );
    if (inserted !== flightsImported) throw new Error(`odl import: ${inserted} flights rows written for ${flightsImported} new flights`);

    await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind)
      SELECT flight_id, tag, kind FROM odl_tags WHERE tag_ok AND (kind = 'auto' OR k <= ${MANUAL_TAGS_MAX})`);
    const tagKinds = (await rows(conn, `SELECT count(*) FILTER (WHERE kind = 'auto') AS auto, count(*) FILTER (WHERE kind = 'manual') AS manual
      FROM flight_tags WHERE flight_id IN (SELECT new_id FROM odl_map WHERE new_id IS NOT NULL)`))[0]!;

    // --- messages → the events timeline's app messages --------------------------------------------------------
    const messagesFile = by.get('flight_messages');
    let messages = 0;
    if (messagesFile) {
      const mc = new Columns(messagesFile);
      messages = await changed(
        conn,
        `INSERT INTO flight_messages (flight_id, t_ms, severity, text)
         SELECT m.new_id, CAST(s.ts AS INTEGER),
           CASE lower(s.type) WHEN 'warn' THEN 'warning' WHEN 'warning' THEN 'warning' WHEN 'caution' THEN 'caution' ELSE 'tip' END,
           left(s.text, ${MESSAGE_MAX})
         FROM (SELECT ${mc.int('flight_id')} AS flight_id, ${mc.int('timestamp_ms')} AS ts, ${mc.text('message_type')} AS type,
                 ${mc.text('message')} AS text FROM ${parquet(messagesFile.path)}) s
         JOIN odl_map m ON m.odl_id = s.flight_id AND m.new_id IS NOT NULL
         WHERE s.text IS NOT NULL AND s.ts BETWEEN 0 AND ${MAX_T_MS}
         ORDER BY m.new_id, s.ts`,
      );
    }

    // --- equipment names: the local name wins; ODL's "[X]" marks a retired item --------------------------------
    const equipmentFile = by.get('equipment_names');
    let equipmentImported = 0;
    let equipmentAlreadyPresent = 0;
    if (equipmentFile) {
      const ec = new Columns(equipmentFile);
      await conn.run(`CREATE OR REPLACE TEMP TABLE odl_equipment AS
        WITH src AS (
          SELECT lower(${ec.text('equipment_type')}) AS kind, ${ec.text('serial')} AS raw_serial, ${ec.text('display_name')} AS raw_name
          FROM ${parquet(equipmentFile.path)}
        ), named AS (
          SELECT kind,
            -- The serial as this logbook's flights spell it (ODL upper-cases serials), so the names attach to them.
            coalesce(
              CASE kind WHEN 'aircraft' THEN (SELECT min(x.aircraft_serial) FROM flights x WHERE upper(x.aircraft_serial) = upper(raw_serial))
                        ELSE (SELECT min(x.battery_serial) FROM flights x WHERE upper(x.battery_serial) = upper(raw_serial)) END,
              raw_serial) AS serial,
            left(nullif(trim(replace(coalesce(raw_name, ''), '[X]', '')), ''), ${EQUIPMENT_NAME_MAX}) AS display_name,
            coalesce(contains(raw_name, '[X]'), false) AS retired
          FROM src WHERE kind IN ('aircraft', 'battery') AND raw_serial IS NOT NULL
        )
        SELECT kind, serial, display_name, retired,
          EXISTS (SELECT 1 FROM equipment e WHERE e.kind = named.kind AND e.serial = named.serial) AS present,
          row_number() OVER (PARTITION BY kind, serial ORDER BY display_name) AS r
        FROM named WHERE display_name IS NOT NULL OR retired`);
      equipmentImported = await changed(
        conn,
        `INSERT INTO equipment (kind, serial, display_name, retired) SELECT kind, serial, display_name, retired FROM odl_equipment WHERE r = 1 AND NOT present`,
      );
      equipmentAlreadyPresent = n((await rows(conn, `SELECT count(*) AS n FROM odl_equipment WHERE r = 1 AND present`))[0]?.n);
    }

    // --- cached keychains: ODL keys them by the log file's SHA-256 ---------------------------------------------
    const keychainsFile = by.get('keychains');
    let keychainsImported = 0;
    let keychainsAlreadyPresent = 0;
    if (keychainsFile) {
      const kc = new Columns(keychainsFile);
      if (!kc.has('file_hash')) {
        if (keychainsFile.rows > 0) warnings.push(`${plural(keychainsFile.rows, 'cached keychain')} of Open DroneLog 3.2 (keyed by serial number) left out.`);
      } else {
        await conn.run(`CREATE OR REPLACE TEMP TABLE odl_keychains AS
          SELECT h, k, fetched_at, EXISTS (SELECT 1 FROM keychains x WHERE x.request_hash = ${literal(odlFileKeychainKey(''))} || h) AS present,
            coalesce(regexp_full_match(h, '[0-9a-f]{64}') AND json_valid(k) AND json_type(TRY_CAST(k AS JSON)) = 'ARRAY', false) AS ok
          FROM (
            SELECT lower(${kc.text('file_hash')}) AS h, ${kc.text('encryption_key')} AS k, ${kc.time('fetched_at')} AS fetched_at,
              row_number() OVER (PARTITION BY lower(${kc.text('file_hash')})) AS r
            FROM ${parquet(keychainsFile.path)})
          WHERE r = 1`);
        keychainsImported = await changed(
          conn,
          `INSERT INTO keychains (request_hash, request, keychains, fetched_at, use_count)
           SELECT ${literal(odlFileKeychainKey(''))} || h, json_object('openDroneLogFileHash', h), CAST(k AS JSON), coalesce(fetched_at, now()), 0
           FROM odl_keychains WHERE ok AND NOT present`,
        );
        const k = (await rows(conn, `SELECT count(*) FILTER (WHERE ok AND present) AS present, count(*) FILTER (WHERE NOT ok) AS bad FROM odl_keychains`))[0]!;
        keychainsAlreadyPresent = n(k.present);
        if (n(k.bad)) warnings.push(`${plural(n(k.bad), 'cached keychain')} that is not keychain JSON left out.`);
      }
    }

    return {
      flightsInBackup,
      flightsImported,
      flightsAlreadyPresent,
      telemetryRows,
      messages,
      tagsAuto: n(tagKinds.auto),
      tagsManual: n(tagKinds.manual),
      customizationsApplied: n(cu.applied),
      customizationsWithoutFlight: n(cu.orphan),
      equipmentImported,
      equipmentAlreadyPresent,
      keychainsImported,
      keychainsAlreadyPresent,
      settingsRows: by.get('settings')?.rows ?? 0,
      warnings,
    };
  }

  /** The flights id default (`nextval('…')`) of this schema, used verbatim so new ids come from the same sequence. */
  async #flightIdDefault(conn: DuckDBConnection): Promise<string> {
    const r = await rows(
      conn,
      `SELECT column_default AS d FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_name = 'flights' AND column_name = 'id'`,
    );
    const d = String(r[0]?.d ?? '');
    if (!/^nextval\('[A-Za-z0-9_."]+'\)$/.test(d)) throw new Error(`flights.id has no sequence default (${d || 'none'})`);
    return d;
  }
}
