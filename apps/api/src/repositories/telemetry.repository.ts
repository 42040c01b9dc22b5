import { DuckDBTypeId, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBVector } from '@duckdb/node-api';
import { TELEMETRY_SAMPLED_FIELDS, type TelemetryField, type TelemetrySeries, type TrackPoint } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { copyNumeric } from '../db/duckdb-vectors.js';
import { num } from './flight.repository.js';

/**
 * Reads of the `telemetry` table: columnar series (raw or downsampled in DuckDB) and the map track.
 * Nothing here ever loads a whole flight into JS to thin it out: DuckDB does the bucketing and
 * only the rows that are returned cross into Node.
 */

type ColumnType = 'double' | 'float' | 'bool' | 'float-list' | 'text';

/** API field (camelCase, as in @dronelog/flightlog) → telemetry column. */
const COLUMNS: Record<TelemetryField, { column: string; type: ColumnType }> = {
  latitude: { column: 'latitude', type: 'double' },
  longitude: { column: 'longitude', type: 'double' },
  heightM: { column: 'height_m', type: 'float' },
  vpsHeightM: { column: 'vps_height_m', type: 'float' },
  altitudeM: { column: 'altitude_m', type: 'float' },
  distanceFromHomeM: { column: 'distance_from_home_m', type: 'float' },
  horizontalSpeedMps: { column: 'horizontal_speed_mps', type: 'float' },
  verticalSpeedMps: { column: 'vertical_speed_mps', type: 'float' },
  velocityNorthMps: { column: 'velocity_north_mps', type: 'float' },
  velocityEastMps: { column: 'velocity_east_mps', type: 'float' },
  velocityDownMps: { column: 'velocity_down_mps', type: 'float' },
  pitchDeg: { column: 'pitch_deg', type: 'float' },
  rollDeg: { column: 'roll_deg', type: 'float' },
  yawDeg: { column: 'yaw_deg', type: 'float' },
  gimbalPitchDeg: { column: 'gimbal_pitch_deg', type: 'float' },
  gimbalRollDeg: { column: 'gimbal_roll_deg', type: 'float' },
  gimbalYawDeg: { column: 'gimbal_yaw_deg', type: 'float' },
  batteryPercent: { column: 'battery_percent', type: 'float' },
  batteryVoltageV: { column: 'battery_voltage_v', type: 'float' },
  batteryCurrentA: { column: 'battery_current_a', type: 'float' },
  batteryTemperatureC: { column: 'battery_temperature_c', type: 'float' },
  batteryFullCapacityMah: { column: 'battery_full_capacity_mah', type: 'float' },
  batteryRemainingCapacityMah: { column: 'battery_remaining_capacity_mah', type: 'float' },
  satellites: { column: 'satellites', type: 'float' },
  gpsLevel: { column: 'gps_level', type: 'float' },
  rcAileron: { column: 'rc_aileron', type: 'float' },
  rcElevator: { column: 'rc_elevator', type: 'float' },
  rcThrottle: { column: 'rc_throttle', type: 'float' },
  rcRudder: { column: 'rc_rudder', type: 'float' },
  rcUplinkPercent: { column: 'rc_uplink_percent', type: 'float' },
  rcDownlinkPercent: { column: 'rc_downlink_percent', type: 'float' },
  cellVoltages: { column: 'cell_voltages', type: 'float-list' },
  flightMode: { column: 'flight_mode', type: 'text' },
  isPhoto: { column: 'is_photo', type: 'bool' },
  isVideo: { column: 'is_video', type: 'bool' },
};

/**
 * SQL for one field as read from the table: NaN/∞ → NULL (NaN sorts above every number in DuckDB and
 * is not JSON), booleans as 0/1 so charts and min/max work on them. Types stay as stored.
 */
function cleanSql(field: TelemetryField): string {
  const { column: c, type } = COLUMNS[field];
  switch (type) {
    case 'double':
    case 'float':
      return `CASE WHEN isfinite(${c}) THEN ${c} END`;
    case 'bool':
      return `CASE WHEN ${c} THEN 1::DOUBLE WHEN NOT ${c} THEN 0::DOUBLE END`;
    case 'float-list':
      return `list_transform(${c}, x -> CASE WHEN isfinite(x) THEN x END)`;
    case 'text':
      return c;
  }
}

/**
 * `cleanSql` for the bucketing: 4-byte floats widened to DOUBLE (exactly, every FLOAT is a DOUBLE), because
 * DuckDB's arg_min/arg_max over FLOAT values take its generic sort-key path and are ~2.5× slower than over
 * DOUBLE. `presentSql` narrows them back before printing.
 */
function bucketSql(field: TelemetryField): string {
  const { column: c, type } = COLUMNS[field];
  return type === 'float' ? `CASE WHEN isfinite(${c}) THEN ${c}::DOUBLE END` : cleanSql(field);
}

/**
 * SQL turning a cleaned value into what is sent: 4-byte floats at their shortest round-trip decimal
 * (12.3, not 12.300000190734863). Applied to returned rows only, after any aggregation. The value may
 * arrive as FLOAT (raw rows) or as a DOUBLE widened from one (bucketed rows): both print the same.
 */
function presentSql(field: TelemetryField, expr: string): string {
  switch (COLUMNS[field].type) {
    case 'float':
      return `(${expr})::FLOAT::VARCHAR::DOUBLE`;
    case 'float-list':
      return `list_transform(${expr}, x -> x::VARCHAR::DOUBLE)`;
    default:
      return expr;
  }
}

/** A valid GPS position: both finite, in range, and not the 0,0 a receiver without a fix reports. */
const VALID_GPS_SQL = `latitude IS NOT NULL AND longitude IS NOT NULL AND isfinite(latitude) AND isfinite(longitude)
  AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 AND NOT (latitude = 0 AND longitude = 0)`;

/**
 * How a series is thinned: `envelope` keeps each bucket's minimum and maximum (ordered by when they
 * occurred); `sample` keeps the values recorded at the bucket's first and last row (never averaged).
 */
export type SeriesKind = 'envelope' | 'sample';

export interface SeriesSpec {
  field: TelemetryField;
  kind: SeriesKind;
}

/** Inclusive window in ms since flight start. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface WindowStats {
  rows: number;
  firstMs: number | null;
  lastMs: number | null;
}

export interface TelemetryColumns {
  t: number[];
  /** Numeric series hold NaN where the value is null: JSON.stringify writes it as null (the route serialises with it). */
  series: TelemetrySeries;
}

/** A chart read: the window's row count and first/last time, and its rows (downsampled when more than asked for). */
export interface ChartRows {
  stats: WindowStats;
  /** null when the window holds no more rows than asked for: read them with `raw()` (the caller has the window). */
  columns: TelemetryColumns | null;
}

export interface TrackRows {
  track: TrackPoint[];
  totalPoints: number;
}

/**
 * The precomputed whole-flight envelope (table `telemetry_envelope`, migration 9): ENVELOPE_BUCKETS equal time
 * buckets over [first, last] of the flight, cut exactly like `bucketed()` cuts an unzoomed window. A request for
 * B buckets with ENVELOPE_BUCKETS % B = 0 is served by merging every ENVELOPE_BUCKETS / B fine buckets: bucket
 * ⌊⌊x·F⌋ / k⌋ = ⌊x·B⌋, so the result equals the live bucketing (up to which of two equal extremes is reported).
 * 3 000 divides by 1 000 (2 000 points, the API default) and 750 (1 500 points, the web app's overview).
 */
export const ENVELOPE_BUCKETS = 3000;
/** Flights with fewer rows keep only the marker row: bucketing them live is cheap. */
export const ENVELOPE_MIN_ROWS = 2 * ENVELOPE_BUCKETS;

/** How a field is stored in the envelope: fixed per field (the sampled fields of the contract). */
function envelopeKind(field: TelemetryField): SeriesKind {
  return TELEMETRY_SAMPLED_FIELDS.includes(field) ? 'sample' : 'envelope';
}

const ALL_FIELDS = Object.keys(COLUMNS) as TelemetryField[];

/**
 * Writes the envelope of one flight from its stored telemetry (on the caller's transaction): the marker row
 * (bucket -1: row count, first and last time) and, for flights of ENVELOPE_MIN_ROWS rows or more, its buckets.
 * Not part of the import transaction: bucketing all 35 columns in SQL costs ~0.3 s for a 10 000-row flight, which
 * would land on every import (computing it in JS from the parsed typed arrays would be the cheap way to do that).
 */
export async function writeEnvelope(conn: DuckDBConnection, flightId: number): Promise<void> {
  const src = ALL_FIELDS.map((f, i) => `${bucketSql(f)} AS v${i}`);
  const agg = ALL_FIELDS.map((f, i) => {
    const c = COLUMNS[f].column;
    // Stored as sent (presentSql): printing a FLOAT at its shortest decimal keeps the order of values, so the
    // min/max of stored values are the stored min/max, and serving needs no per-value cast.
    return envelopeKind(f) === 'envelope'
      ? `${presentSql(f, `min(v${i})`)} AS ${c}_min, ${presentSql(f, `max(v${i})`)} AS ${c}_max, arg_min(t_ms, v${i}) AS ${c}_tmin, arg_max(t_ms, v${i}) AS ${c}_tmax`
      : `${presentSql(f, `arg_min_null(v${i}, t_ms)`)} AS ${c}_first, ${presentSql(f, `arg_max_null(v${i}, t_ms)`)} AS ${c}_last`;
  });
  await conn.run(
    `INSERT INTO telemetry_envelope (flight_id, bucket, n, t_first, t_last)
     SELECT $1, -1, count(*), min(t_ms), max(t_ms) FROM telemetry WHERE flight_id = $1`,
    [BigInt(flightId)],
  );
  await conn.run(
    `INSERT INTO telemetry_envelope BY NAME
     SELECT $1::BIGINT AS flight_id, ((t_ms::BIGINT - m.t_first) * ${ENVELOPE_BUCKETS}) // (m.t_last::BIGINT - m.t_first + 1) AS bucket,
       count(*) AS n, min(t_ms) AS t_first, max(t_ms) AS t_last, ${agg.join(', ')}
     FROM (SELECT t_ms, ${src.join(', ')} FROM telemetry WHERE flight_id = $1) AS src,
          (SELECT t_first, t_last FROM telemetry_envelope WHERE flight_id = $1 AND bucket = -1 AND n >= ${ENVELOPE_MIN_ROWS}) AS m
     GROUP BY 1, 2`,
    [BigInt(flightId)],
  );
}

/** What `envelope()` found: the chart rows, or that the flight has no envelope yet, or that it must be bucketed live. */
export type EnvelopeRead = { kind: 'rows'; rows: ChartRows } | { kind: 'missing' } | { kind: 'live' };

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

export class TelemetryRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Rows of the flight inside the window and their first/last time. */
  async windowStats(flightId: number, window: Partial<TimeWindow>): Promise<WindowStats> {
    const r = await this.#db.reader.runAndReadAll(
      `SELECT count(*) AS n, min(t_ms) AS first_ms, max(t_ms) AS last_ms
       FROM telemetry WHERE flight_id = $1 AND t_ms BETWEEN $2 AND $3`,
      [flightId, clampInt(window.fromMs ?? INT32_MIN), clampInt(window.toMs ?? INT32_MAX)],
    );
    const row = r.getRowObjectsJS()[0] ?? {};
    return { rows: num(row.n) ?? 0, firstMs: num(row.first_ms), lastMs: num(row.last_ms) };
  }

  /** Every row in the window, as recorded. */
  async raw(flightId: number, fields: readonly TelemetryField[], window: TimeWindow): Promise<TelemetryColumns> {
    const select = fields.map((f, i) => `${presentSql(f, cleanSql(f))} AS v${i}`);
    const sql = `
      SELECT t_ms${select.length ? ', ' + select.join(', ') : ''}
      FROM telemetry WHERE flight_id = $1 AND t_ms BETWEEN $2 AND $3
      ORDER BY t_ms, rowid`;
    const result = await this.#db.reader.run(sql, [flightId, clampInt(window.fromMs), clampInt(window.toMs)]);
    return toColumns(readColumns(result, fields.length + 1), fields);
  }

  /**
   * Downsampled in DuckDB: the window [first, last] is cut into `buckets` equal time buckets; each
   * non-empty bucket yields one row (if it holds one) or two rows at the times of its first and last
   * row. Envelope series put the bucket's min and max into those two rows in the order they occurred;
   * sample series put the values recorded at exactly those two rows. Result: ≤ 2 × buckets rows.
   *
   * One round trip: the window's count/first/last are computed in the same query (so the caller needs no
   * `windowStats()` first); when the window holds ≤ `maxRows` rows nothing is bucketed and `columns` is null.
   */
  async bucketed(
    flightId: number,
    series: readonly SeriesSpec[],
    window: Partial<TimeWindow>,
    buckets: number,
    maxRows: number,
  ): Promise<ChartRows> {
    const src = series.map((s, i) => `${bucketSql(s.field)} AS v${i}`);
    const agg = series.map((s, i) =>
      s.kind === 'envelope'
        ? `min(v${i}) AS v${i}_min, max(v${i}) AS v${i}_max, arg_min(t_ms, v${i}) AS v${i}_tmin, arg_max(t_ms, v${i}) AS v${i}_tmax`
        : // arg_*_null: the value AT the first/last row even when it is NULL (plain arg_min would skip to a non-null row).
          `arg_min_null(v${i}, t_ms) AS v${i}_first, arg_max_null(v${i}, t_ms) AS v${i}_last`,
    );
    const sql = `
      WITH src AS (
        SELECT t_ms${src.length ? ', ' + src.join(', ') : ''}
        FROM telemetry WHERE flight_id = $1 AND t_ms BETWEEN $2 AND $3
      ),
      st AS (SELECT count(*) AS n, min(t_ms) AS first_ms, max(t_ms) AS last_ms FROM src),
      agg AS (
        SELECT ((t_ms::BIGINT - st.first_ms) * $4) // (st.last_ms::BIGINT - st.first_ms + 1) AS bucket,
          count(*) AS n, min(t_ms) AS t_first, max(t_ms) AS t_last
          ${agg.length ? ', ' + agg.join(', ') : ''}
        FROM src, st
        WHERE st.n > $5
        GROUP BY bucket
      ),
      ${outputSql(series)}`;
    const result = await this.#db.reader.run(sql, [
      flightId,
      clampInt(window.fromMs ?? INT32_MIN),
      clampInt(window.toMs ?? INT32_MAX),
      buckets,
      maxRows,
    ]);
    return chartRows(result, series, maxRows);
  }

  /**
   * The whole flight's chart rows from the precomputed envelope, re-bucketed to `buckets` (which must divide
   * ENVELOPE_BUCKETS, and the series must have their stored kind; otherwise: `live`). Same output as
   * `bucketed()` over the unzoomed window. The stored fine buckets' columns are read as they are (a plain ordered
   * scan of ENVELOPE_BUCKETS rows) and every k = ENVELOPE_BUCKETS / buckets consecutive ones merged here: the same
   * merge in SQL (~80 aggregates, a cross join for the two slots, a sort) cost 2–3× the whole of this.
   */
  async envelope(flightId: number, series: readonly SeriesSpec[], buckets: number, maxRows: number): Promise<EnvelopeRead> {
    if (buckets < 1 || ENVELOPE_BUCKETS % buckets !== 0 || series.some((s) => s.kind !== envelopeKind(s.field))) return { kind: 'live' };
    const select = series.map((s) => {
      const c = COLUMNS[s.field].column;
      return s.kind === 'envelope' ? `${c}_min, ${c}_max, ${c}_tmin, ${c}_tmax` : `${c}_first, ${c}_last`;
    });
    // No ORDER BY: sorting ~80 wide columns cost DuckDB more than the whole scan; the rows are put in bucket order
    // here. No "only when the flight has more rows than asked for" condition either: as a subquery it doubled the
    // query's time, and it would skip reading only for flights of 6 000–6 001 rows asked for 6 000 points (a flight
    // has buckets stored from ENVELOPE_MIN_ROWS rows, and `buckets` divides ENVELOPE_BUCKETS).
    const sql = `
      SELECT bucket, n, t_first, t_last${select.length ? ', ' + select.join(', ') : ''}
      FROM telemetry_envelope WHERE flight_id = $1`;
    const result = await this.#db.reader.run(sql, [flightId]);
    const cols = readEnvelopeColumns(result, 4 + series.reduce((w, s) => w + (s.kind === 'envelope' ? 4 : 2), 0));
    const [bucket, n, tFirst, tLast] = cols as Float64Array[];
    // The marker row (bucket -1: the flight's row count, first and last time) and the fine buckets' rows in bucket order.
    let marker = -1;
    const rowOf = new Int32Array(ENVELOPE_BUCKETS).fill(-1);
    for (let r = 0; r < bucket!.length; r++) {
      const b = bucket![r]!;
      if (b === -1) marker = r;
      else if (b >= 0 && b < ENVELOPE_BUCKETS) rowOf[b] = r;
    }
    if (marker < 0) return { kind: 'missing' };
    const stats: WindowStats = { rows: num(n![marker]) ?? 0, firstMs: num(tFirst![marker]), lastMs: num(tLast![marker]) };
    if (stats.rows <= maxRows) return { kind: 'rows', rows: { stats, columns: null } };
    // More rows than asked for but no buckets stored (a flight under ENVELOPE_MIN_ROWS keeps only its marker row).
    if (stats.rows < ENVELOPE_MIN_ROWS || result.rowCount === 1) return { kind: 'live' };
    return { kind: 'rows', rows: { stats, columns: mergeEnvelope(cols, rowOf, series, ENVELOPE_BUCKETS / buckets) } };
  }

  /** Computes the envelope of a flight that has none yet (idempotent: nothing when it exists or the flight is gone). */
  async fillEnvelope(flightId: number): Promise<void> {
    await this.#db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM flights WHERE id = $1) AS f, (SELECT count(*) FROM telemetry_envelope WHERE flight_id = $1 AND bucket = -1) AS e`,
        [BigInt(flightId)],
      );
      const row = r.getRowObjectsJS()[0];
      if (!row || Number(row.f) === 0 || Number(row.e) > 0) return;
      await writeEnvelope(conn, flightId);
    });
  }

  /**
   * The map track: valid GPS rows only, ordered by time. With more than `maxPoints` rows they are cut
   * into ⌊(maxPoints−1)/2⌋ buckets of equal row count; each keeps its first row and the row farthest
   * from the chord between its first and last rows (so corners and turn-backs survive), and the last
   * row of the flight is always kept: ≤ maxPoints rows, first and last included.
   */
  async track(flightId: number, maxPoints: number): Promise<TrackRows> {
    const count = await this.#db.reader.runAndReadAll(`SELECT count(*) AS n FROM telemetry WHERE flight_id = $1 AND ${VALID_GPS_SQL}`, [flightId]);
    const total = num(count.getRowObjectsJS()[0]?.n) ?? 0;
    const height = presentSql('heightM', cleanSql('heightM'));
    let sql: string;
    let params: number[];
    if (total <= maxPoints) {
      sql = `SELECT longitude, latitude, ${height} AS h, t_ms FROM telemetry
             WHERE flight_id = $1 AND ${VALID_GPS_SQL} ORDER BY t_ms, rowid`;
      params = [flightId];
    } else {
      const buckets = Math.max(1, Math.floor((maxPoints - 1) / 2));
      sql = `
        WITH v AS (
          SELECT t_ms, longitude AS lon, latitude AS lat, ${cleanSql('heightM')} AS h,
                 row_number() OVER (ORDER BY t_ms, rowid) - 1 AS i
          FROM telemetry WHERE flight_id = $1 AND ${VALID_GPS_SQL}
        ),
        b AS (SELECT v.*, (i * $2) // $3 AS bucket FROM v),
        w AS (
          SELECT b.*,
            first_value(lon) OVER bw AS lon_a, first_value(lat) OVER bw AS lat_a,
            last_value(lon) OVER bw AS lon_b, last_value(lat) OVER bw AS lat_b,
            min(i) OVER bw AS i_first
          FROM b
          WINDOW bw AS (PARTITION BY bucket ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        ),
        p AS (
          -- local plane in degrees of latitude: x = Δlon·cos(lat), y = Δlat
          SELECT w.*, (lon_b - lon_a) * cos(radians(lat_a)) AS ax, lat_b - lat_a AS ay,
                 (lon - lon_a) * cos(radians(lat_a)) AS px, lat - lat_a AS py
          FROM w
        ),
        d AS (
          SELECT p.*,
            CASE WHEN ax * ax + ay * ay > 0 THEN abs(ax * py - ay * px) / sqrt(ax * ax + ay * ay)
                 ELSE sqrt(px * px + py * py) END AS dev
          FROM p
        ),
        r AS (SELECT d.*, row_number() OVER (PARTITION BY bucket ORDER BY dev DESC, i) AS rk FROM d)
        SELECT lon AS longitude, lat AS latitude, ${presentSql('heightM', 'h')} AS h, t_ms FROM r
        WHERE i = i_first OR rk = 1 OR i = $3 - 1
        ORDER BY i`;
      params = [flightId, buckets, total];
    }
    const rows = (await this.#db.reader.runAndReadAll(sql, params)).getRowsJS();
    return {
      track: rows.map((r) => [num(r[0]) ?? 0, num(r[1]) ?? 0, num(r[2]), num(r[3]) ?? 0]),
      totalPoints: total,
    };
  }
}

/**
 * The tail of a chart query, after CTEs `st` (one row: n, first_ms, last_ms) and `agg` (one row per non-empty
 * bucket: n, t_first, t_last and per series v{i}_min/_max/_tmin/_tmax or v{i}_first/_last): each bucket gives
 * one row (one recorded row) or two at its first and last time; envelope series put min and max there in the
 * order they occurred, sampled ones the values recorded there. st's row is kept when there are no buckets.
 */
const NUMERIC: ReadonlySet<ColumnType> = new Set(['double', 'float', 'bool']);

function outputSql(series: readonly SeriesSpec[]): string {
  const out = series.map((s, i) => {
    const value =
      s.kind === 'envelope'
        ? `CASE WHEN (v${i}_tmin <= v${i}_tmax) = (slot = 0) THEN v${i}_min ELSE v${i}_max END`
        : `CASE WHEN slot = 0 THEN v${i}_first ELSE v${i}_last END`;
    const sent = presentSql(s.field, value);
    // NULL as NaN (sent as null by JSON.stringify): a result column without NULLs has no validity mask, and reading one
    // value through a mask costs BigInt arithmetic in @duckdb/node-api.
    return `${NUMERIC.has(COLUMNS[s.field].type) ? `coalesce(${sent}, 'NaN'::DOUBLE)` : sent} AS v${i}`;
  });
  return `b AS (
        SELECT bucket, slot, CASE WHEN slot = 0 THEN t_first ELSE t_last END AS t_ms${out.length ? ', ' + out.join(', ') : ''}
        FROM agg CROSS JOIN (VALUES (0), (1)) AS slots(slot)
        WHERE slot = 0 OR n > 1
      )
      SELECT st.n AS n, st.first_ms AS first_ms, st.last_ms AS last_ms, b.* EXCLUDE (bucket, slot)
      FROM st LEFT JOIN b ON true
      ORDER BY b.bucket, b.slot`;
}

/** Reads the result of a query ending in `outputSql()`. */
function chartRows(result: DuckDBMaterializedResult, series: readonly SeriesSpec[], maxRows: number): ChartRows {
  const fields = series.map((s) => s.field);
  const cols = readColumns(result, fields.length + 4);
  const rows = num(cols[0]?.[0]) ?? 0;
  const stats: WindowStats = { rows, firstMs: num(cols[1]?.[0]), lastMs: num(cols[2]?.[0]) };
  if (rows <= maxRows) return { stats, columns: null };
  return { stats, columns: toColumns(cols.slice(3), fields) };
}

/**
 * Merges the fine envelope buckets read by `envelope()` (columns: bucket, n, t_first, t_last, then per series
 * min, max, tmin, tmax or first, last; `rowOf[b]` = the row of fine bucket b, -1 when empty) k at a time, as
 * `outputSql()` does over `bucketed()`'s aggregates: per coarse bucket one row at its first time, and one at its
 * last when it holds more than one row; envelope series put min and max there in the order they occurred (of equal
 * extremes the earliest), sampled ones the first fine bucket's first value and the last one's last value. Values
 * are stored already printed.
 */
function mergeEnvelope(cols: ReadonlyArray<Float64Array | LazyColumn>, rowOf: Int32Array, series: readonly SeriesSpec[], k: number): TelemetryColumns {
  const n = cols[1] as Float64Array;
  const tFirst = cols[2] as Float64Array;
  const tLast = cols[3] as Float64Array;
  // The non-empty fine buckets' rows in bucket order, and where each coarse bucket's run of them starts.
  const rows: number[] = [];
  const starts: number[] = [];
  let group = -1;
  for (let b = 0; b < rowOf.length; b++) {
    const r = rowOf[b]!;
    if (r < 0) continue;
    if (Math.floor(b / k) !== group) {
      group = Math.floor(b / k);
      starts.push(rows.length);
    }
    rows.push(r);
  }
  starts.push(rows.length);
  const groups = starts.length - 1;
  const two: boolean[] = [];
  const t: number[] = [];
  for (let g = 0; g < groups; g++) {
    let count = 0;
    for (let i = starts[g]!; i < starts[g + 1]!; i++) count += n[rows[i]!]!;
    two.push(count > 1);
    t.push(tFirst[rows[starts[g]!]!]!);
    if (count > 1) t.push(tLast[rows[starts[g + 1]! - 1]!]!);
  }
  const out: Record<string, unknown[]> = {};
  let c = 4;
  for (const s of series) {
    const o: unknown[] = [];
    if (s.kind === 'envelope') {
      const mins = cols[c] as Float64Array;
      const maxs = cols[c + 1] as Float64Array;
      const tmins = cols[c + 2] as Float64Array;
      const tmaxs = cols[c + 3] as Float64Array;
      c += 4;
      for (let g = 0; g < groups; g++) {
        let min = Number.NaN;
        let max = Number.NaN;
        let tmin = 0;
        let tmax = 0;
        for (let i = starts[g]!; i < starts[g + 1]!; i++) {
          const r = rows[i]!;
          const lo = mins[r]!;
          const hi = maxs[r]!;
          // `!(lo >= min)` is also true while min is still NaN; NaN (an all-null fine bucket) never wins.
          if (lo === lo && !(lo >= min)) {
            min = lo;
            tmin = tmins[r]!;
          }
          if (hi === hi && !(hi <= max)) {
            max = hi;
            tmax = tmaxs[r]!;
          }
        }
        const minFirst = tmin <= tmax;
        o.push(minFirst ? min : max);
        if (two[g]) o.push(minFirst ? max : min);
      }
    } else {
      const firsts = cols[c]!;
      const lasts = cols[c + 1]!;
      c += 2;
      if (firsts instanceof Float64Array && lasts instanceof Float64Array) {
        for (let g = 0; g < groups; g++) {
          o.push(firsts[rows[starts[g]!]!]);
          if (two[g]) o.push(lasts[rows[starts[g + 1]! - 1]!]);
        }
      } else if (firsts instanceof LazyColumn && lasts instanceof LazyColumn) {
        const conv = COLUMNS[s.field].type === 'text' ? (v: unknown) => (v === null || v === undefined ? null : String(v)) : listItems;
        for (let g = 0; g < groups; g++) {
          o.push(conv(firsts.get(rows[starts[g]!]!)));
          if (two[g]) o.push(conv(lasts.get(rows[starts[g + 1]! - 1]!)));
        }
      }
    }
    out[s.field] = o;
  }
  return { t, series: out as TelemetrySeries };
}

function clampInt(v: number | undefined): number {
  if (v === undefined) return 0;
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(v)));
}

/**
 * The result's columns as JS arrays, read straight from its vectors (numbers for numeric columns, strings
 * for VARCHAR, DuckDBListValue for lists, null for NULL): no per-value conversion layer.
 */
function readColumns(result: DuckDBMaterializedResult, columnCount: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: columnCount }, () => new Array<unknown>(result.rowCount));
  const numeric = Array.from({ length: columnCount }, (_, j) => NUMERIC_TYPE_IDS.has(result.columnTypeId(j)));
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    for (let j = 0; j < columnCount; j++) {
      const vector = chunk.getColumnVector(j);
      const out = cols[j]!;
      // NULL arrives as NaN from a numeric column (every reader of these columns takes NaN as null).
      if (numeric[j] && copyNumeric(vector, n, out, row)) continue;
      for (let i = 0; i < n; i++) out[row + i] = vector.getItem(i);
    }
    row += n;
  }
  return cols;
}

/** The result column types copyNumeric() copies in bulk. */
const NUMERIC_TYPE_IDS: ReadonlySet<DuckDBTypeId> = new Set([DuckDBTypeId.DOUBLE, DuckDBTypeId.INTEGER]);

/** A list or text column read on demand: its values are built only for the rows that are sent. */
class LazyColumn {
  readonly #vectors: DuckDBVector[] = [];
  readonly #starts: number[] = [];

  add(vector: DuckDBVector, start: number): void {
    this.#vectors.push(vector);
    this.#starts.push(start);
  }

  get(row: number): unknown {
    let c = this.#starts.length - 1;
    while (c > 0 && this.#starts[c]! > row) c--;
    return this.#vectors[c]?.getItem(row - this.#starts[c]!) ?? null;
  }
}

/**
 * The envelope read's columns: DOUBLE and INTEGER ones into Float64Arrays (NULL as NaN; ~80 × 3 000 numbers, which
 * as JS arrays of boxed numbers were most of its garbage-collection time; copied in bulk, see copyNumeric()), others as LazyColumns (a list value
 * costs a child-vector slice and an object; only a third of the rows are sent).
 */
function readEnvelopeColumns(result: DuckDBMaterializedResult, columnCount: number): Array<Float64Array | LazyColumn> {
  const total = result.rowCount;
  const numeric = Array.from({ length: columnCount }, (_, j) => NUMERIC_TYPE_IDS.has(result.columnTypeId(j)));
  // One buffer for every numeric column (~2 MB): one allocation of external memory instead of ~80.
  const buffer = new Float64Array(total * numeric.filter(Boolean).length);
  let next = 0;
  const cols = numeric.map((isNumeric) => {
    if (!isNumeric) return new LazyColumn();
    next += total;
    return buffer.subarray(next - total, next);
  });
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    for (let j = 0; j < columnCount; j++) {
      const vector = chunk.getColumnVector(j);
      const out = cols[j]!;
      if (out instanceof Float64Array) {
        if (!copyNumeric(vector, n, out, row)) {
          for (let i = 0; i < n; i++) out[row + i] = (vector.getItem(i) as number | null) ?? Number.NaN;
        }
      } else {
        out.add(vector, row);
      }
    }
    row += n;
  }
  return cols;
}

/** A finite number or null (numbers from DOUBLE/INTEGER vectors; bigint from BIGINT ones). */
function finite(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return num(v);
}

function toColumns(cols: unknown[][], fields: readonly TelemetryField[]): TelemetryColumns {
  const t = (cols[0] ?? []).map((v) => finite(v) ?? 0);
  // Each column is converted by its type below (text → string, list → number[], else number), which is
  // exactly what TelemetrySeries declares per field.
  const series: Record<string, unknown[]> = {};
  fields.forEach((f, i) => {
    const col = cols[i + 1] ?? [];
    const type = COLUMNS[f].type;
    series[f] =
      type === 'text'
        ? col.map((v) => (v === null || v === undefined ? null : String(v)))
        : type === 'float-list'
          ? col.map((v) => listItems(v))
          : col.map(numberOrNaN);
  });
  return { t, series: series as TelemetrySeries };
}

/**
 * A numeric series value with NaN for null (see TelemetryColumns): an array of only numbers stays a packed double
 * array in V8, which JSON.stringify writes without boxing a heap number per value (and NaN as null).
 */
function numberOrNaN(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : (num(v) ?? Number.NaN);
}

function listItems(v: unknown): (number | null)[] | null {
  if (v === null || v === undefined) return null;
  const items = Array.isArray(v) ? v : (v as { items?: unknown[] }).items;
  return Array.isArray(items) ? items.map(finite) : null;
}
