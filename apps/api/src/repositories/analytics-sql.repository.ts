import type { Database } from '../db/database.js';

/**
 * SQL fragments shared by the analytics repositories (overview, equipment, exports, report) and the flight list; a
 * .repository.ts file because SQL lives only in those. Everything here works on `flights f`.
 */

/** A DOUBLE column with NaN/∞ turned into NULL, so aggregates and sorting never meet NaN. */
export const finite = (col: string): string => `(CASE WHEN isfinite(${col}) THEN ${col} END)`;

/** Start time as UTC wall time 'YYYY-MM-DDTHH:MM:SS' (independent of the session time zone). */
export const UTC_ISO_SQL = `strftime(make_timestamp(epoch_us(f.start_time)), '%Y-%m-%dT%H:%M:%S')`;

/** The take-off point when recorded (both coordinates), else the home point. */
export const TAKEOFF_LAT_SQL = `CASE WHEN f.takeoff_lat IS NOT NULL AND f.takeoff_lon IS NOT NULL THEN f.takeoff_lat ELSE f.home_lat END`;
export const TAKEOFF_LON_SQL = `CASE WHEN f.takeoff_lat IS NOT NULL AND f.takeoff_lon IS NOT NULL THEN f.takeoff_lon ELSE f.home_lon END`;

/** A lat/lon pair that is a real position: finite, in range, not the 0,0 of a receiver without a fix. */
export const validPositionSql = (lat: string, lon: string): string =>
  `(${lat} IS NOT NULL AND ${lon} IS NOT NULL AND isfinite(${lat}) AND isfinite(${lon}) AND ${lat} BETWEEN -90 AND 90 ` +
  `AND ${lon} BETWEEN -180 AND 180 AND NOT (${lat} = 0 AND ${lon} = 0))`;

/**
 * How a flight's local take-off time is read. The local time columns (`local_start_time`, `local_time_zone`) are
 * added by the import side when it lands its time-zone lookup; until then (or for a flight without a position)
 * UTC is used and `known` is false, so callers can say which basis they used.
 */
export interface LocalTimeSql {
  /** True once the flights table has a local start time column. */
  available: boolean;
  /** 'YYYY-MM-DDTHH:MM:SS' wall time of the take-off: local when known, else UTC. */
  iso: string;
  /** SQL boolean: the local time of this flight is known. */
  known: string;
  /** SQL expression for the IANA time zone name, or NULL. */
  zone: string;
}

/** Reads the flights table's columns once and builds the local-time SQL (columns never change after migrations). */
export async function detectLocalTimeSql(db: Database): Promise<LocalTimeSql> {
  const r = await db.reader.runAndReadAll(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_name = 'flights' AND table_schema = current_schema() AND column_name IN ('local_start_time', 'local_time_zone')`,
  );
  const types = new Map(r.getRowObjectsJS().map((c) => [String(c.column_name), String(c.data_type).toUpperCase()]));
  const zone = types.has('local_time_zone') ? 'f.local_time_zone' : 'NULL';
  const startType = types.get('local_start_time');
  if (!startType) return { available: false, iso: UTC_ISO_SQL, known: 'FALSE', zone };
  let local: string;
  if (startType.includes('WITH TIME ZONE') && zone !== 'NULL') {
    // An instant: shown as wall time in the flight's own zone.
    local = `strftime(timezone(f.local_time_zone, f.local_start_time), '%Y-%m-%dT%H:%M:%S')`;
  } else {
    // TIMESTAMP (wall time) or an ISO string 'YYYY-MM-DD[T ]HH:MM:SS[...]': the first 19 characters are the wall time.
    local = `replace(substr(CAST(f.local_start_time AS VARCHAR), 1, 19), ' ', 'T')`;
  }
  return { available: true, iso: `coalesce(${local}, ${UTC_ISO_SQL})`, known: `(${local}) IS NOT NULL`, zone };
}
