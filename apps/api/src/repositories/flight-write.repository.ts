import { DuckDBDataChunk, listValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue, type DuckDBVector } from '@duckdb/node-api';
import { TAG_MAX_LENGTH, TAGS_MAX_PER_FLIGHT } from '@dronelog/contracts';
import type { ParsedFlight, TelemetryNumericField } from '@dronelog/flightlog';
import type { Database } from '../db/database.js';
import { chunkFloatItems } from '../db/duckdb-vectors.js';
import { batteryAggregateColumns } from './flight-aggregates.js';

/** What identifies one flight regardless of the file's bytes. */
export interface FlightSignature {
  aircraftSerial: string;
  /** null: match only flights that have no battery serial either. */
  batterySerial: string | null;
  /** UTC ISO-8601. */
  startTime: string;
}

/**
 * How far two start times of the same flight may lie apart. The header's start time and the first
 * frame's clock differ by up to ~0.7 s on the real logs; one aircraft cannot start two flights 2 s apart.
 */
export const SIGNATURE_START_TOLERANCE_MS = 2_000;

export interface NewFlight {
  fileHash: string;
  fileName: string;
  fileSize: number;
  flight: ParsedFlight;
  /** Signature to check inside the write transaction (null: no signature check). */
  signature: FlightSignature | null;
  autoTags: string[];
  /** Zone and wall clock at take-off ('YYYY-MM-DDTHH:MM:SS.sss'), null when the flight has no position. */
  localTime?: { timeZone: string; localStartTime: string } | null;
}

/** Manual tags restored from a Dronelog CSV: trimmed, no commas, at most TAG_MAX_LENGTH, case-insensitively unique. */
function restoredTags(tags: readonly string[] | undefined, autoTags: readonly string[]): string[] {
  const seen = new Set(autoTags.map((t) => t.toLowerCase()));
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const tag = raw.trim();
    if (tag === '' || tag.includes(',') || tag.length > TAG_MAX_LENGTH || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
    if (out.length >= TAGS_MAX_PER_FLIGHT) break;
  }
  return out;
}

export type WriteResult = { kind: 'inserted'; flightId: number } | { kind: 'duplicate'; flightId: number; by: 'hash' | 'signature' };

/** A finite number or NULL (NaN / ±Infinity are "not recorded"). */
function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function int(v: number | null | undefined): number | null {
  const n = num(v);
  return n === null ? null : Math.round(n);
}

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Fills rows [from, from + vector.itemCount) of the flight into one column vector of a data chunk. */
type ColumnWriter = (vector: DuckDBVector, from: number) => void;

/** Rows per appended data chunk: DuckDB's vector size, the most one chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * Appends on the transaction's connection (rolled back with it). When filling fails, the first error is the
 * one reported; closing a half-filled appender may throw too and is only cleanup by then.
 */
async function withAppender(conn: DuckDBConnection, table: string, fill: (a: DuckDBAppender) => void): Promise<void> {
  const appender = await conn.createAppender(table);
  let filled = false;
  try {
    fill(appender);
    appender.flushSync();
    filled = true;
  } finally {
    try {
      appender.closeSync();
    } catch (err) {
      if (filled) throw err;
    }
  }
}

const WINDOW = `INTERVAL ${SIGNATURE_START_TOLERANCE_MS} MILLISECOND`;
const SIGNATURE_SQL_BATTERY = `aircraft_serial = $1 AND battery_serial = $2
  AND start_time BETWEEN $3::TIMESTAMPTZ - ${WINDOW} AND $3::TIMESTAMPTZ + ${WINDOW}`;
/** A battery serial of only zeros/blanks (old DJI GO logs write "0000000000") counts as missing. */
const SIGNATURE_SQL_NO_BATTERY = `aircraft_serial = $1
  AND (battery_serial IS NULL OR regexp_full_match(battery_serial, '[\\s0]*'))
  AND start_time BETWEEN $2::TIMESTAMPTZ - ${WINDOW} AND $2::TIMESTAMPTZ + ${WINDOW}`;

function signatureQuery(sig: FlightSignature): { sql: string; params: DuckDBValue[] } {
  return sig.batterySerial
    ? {
        sql: `SELECT id FROM flights WHERE ${SIGNATURE_SQL_BATTERY} ORDER BY id LIMIT 1`,
        params: [sig.aircraftSerial, sig.batterySerial, sig.startTime],
      }
    : {
        sql: `SELECT id FROM flights WHERE ${SIGNATURE_SQL_NO_BATTERY} ORDER BY id LIMIT 1`,
        params: [sig.aircraftSerial, sig.startTime],
      };
}

/**
 * The write side of flights for the import pipeline: duplicate look-ups, and one transaction that writes a
 * flight row with all its telemetry (Appender), messages and tags, or nothing at all.
 */
export class FlightWriteRepository {
  constructor(private readonly db: Database) {}

  async findByHash(fileHash: string): Promise<number | null> {
    const r = await this.db.reader.runAndReadAll('SELECT id FROM flights WHERE file_hash = $1 LIMIT 1', [fileHash]);
    const row = r.getRowObjectsJS()[0];
    return row ? Number(row.id) : null;
  }

  async findBySignature(sig: FlightSignature): Promise<number | null> {
    const q = signatureQuery(sig);
    const r = await this.db.reader.runAndReadAll(q.sql, q.params);
    const row = r.getRowObjectsJS()[0];
    return row ? Number(row.id) : null;
  }

  /** Duplicate checks and the whole write in one serialised transaction: no partial flight can remain. */
  async insert(input: NewFlight): Promise<WriteResult> {
    return this.db.transaction(async (conn) => {
      const byHash = await conn.runAndReadAll('SELECT id FROM flights WHERE file_hash = $1 LIMIT 1', [input.fileHash]);
      const hashRow = byHash.getRowObjectsJS()[0];
      if (hashRow) return { kind: 'duplicate', flightId: Number(hashRow.id), by: 'hash' };
      if (input.signature) {
        const q = signatureQuery(input.signature);
        const sigRow = (await conn.runAndReadAll(q.sql, q.params)).getRowObjectsJS()[0];
        if (sigRow) return { kind: 'duplicate', flightId: Number(sigRow.id), by: 'signature' };
      }
      const flightId = await this.#insertFlightRow(conn, input);
      await this.#appendTelemetry(conn, flightId, input.flight);
      await this.#appendMessages(conn, flightId, input.flight);
      for (const tag of input.autoTags) {
        await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, 'auto') ON CONFLICT DO NOTHING`, [
          BigInt(flightId),
          tag,
        ]);
      }
      // A re-imported Dronelog CSV export brings its manual tags back.
      for (const tag of restoredTags(input.flight.extras?.tags, input.autoTags)) {
        await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, 'manual') ON CONFLICT DO NOTHING`, [BigInt(flightId), tag]);
      }
      return { kind: 'inserted', flightId };
    });
  }

  async #insertFlightRow(conn: DuckDBConnection, input: NewFlight): Promise<number> {
    const m = input.flight.metadata;
    const cols: Array<[string, DuckDBValue, string?]> = [
      ['file_hash', input.fileHash],
      ['file_name', input.fileName],
      ['file_size', BigInt(input.fileSize)],
      ['source_format', input.flight.header.format],
      ['log_version', int(m.logVersion)],
      ['aircraft_name', m.aircraftName],
      ['aircraft_model', m.aircraftModel],
      ['product_type', m.productType],
      ['aircraft_serial', m.aircraftSerial],
      ['battery_serial', m.batterySerial],
      ['camera_serial', m.cameraSerial],
      ['rc_serial', m.rcSerial],
      ['start_time', m.startTime, 'TIMESTAMPTZ'],
      ['end_time', m.endTime, 'TIMESTAMPTZ'],
      ['duration_s', num(m.durationS)],
      ['home_lat', num(m.home?.latitude)],
      ['home_lon', num(m.home?.longitude)],
      ['home_altitude_m', num(m.home?.altitudeM)],
      ['home_source', m.home?.source ?? null],
      ['takeoff_lat', num(m.takeoff?.latitude)],
      ['takeoff_lon', num(m.takeoff?.longitude)],
      ['landing_lat', num(m.landing?.latitude)],
      ['landing_lon', num(m.landing?.longitude)],
      ['distance_m', num(m.distanceM)],
      ['max_height_m', num(m.maxHeightM)],
      ['max_altitude_m', num(m.maxAltitudeM)],
      ['max_horizontal_speed_mps', num(m.maxHorizontalSpeedMps)],
      ['max_vertical_speed_mps', num(m.maxVerticalSpeedMps)],
      ['max_distance_from_home_m', num(m.maxDistanceFromHomeM)],
      ['photo_count', int(m.photoCount) ?? 0],
      ['video_count', int(m.videoCount) ?? 0],
      ['battery_start_percent', num(m.batteryStartPercent)],
      ['battery_end_percent', num(m.batteryEndPercent)],
      ['battery_cycles', int(m.batteryCycles)],
      ['battery_design_capacity_mah', num(m.batteryDesignCapacityMah)],
      ['battery_min_temp_c', num(m.batteryMinTemperatureC)],
      ['battery_max_temp_c', num(m.batteryMaxTemperatureC)],
      ['min_voltage_v', num(m.minVoltageV)],
      ['app', m.app],
      ['firmware', m.firmware],
      ['place', m.place],
      ['frame_count', int(m.frameCount) ?? 0],
      ['gps_frame_count', int(m.gpsFrameCount) ?? 0],
      ...batteryAggregateColumns(input.flight),
      ['parse_warnings', JSON.stringify(input.flight.warnings ?? []), 'JSON'],
      ['local_time_zone', input.localTime?.timeZone ?? null],
      ['local_start_time', input.localTime?.localStartTime ?? null, 'TIMESTAMP'],
      // Name, notes and colour restored from a re-imported Dronelog CSV export.
      ['name', input.flight.extras?.name ?? null],
      ['notes', input.flight.extras?.notes ?? null],
      ['color', input.flight.extras?.color ?? null],
    ];
    const sql = `INSERT INTO flights (${cols.map((c) => c[0]).join(', ')})
      VALUES (${cols.map((c, i) => `$${i + 1}${c[2] ? `::${c[2]}` : ''}`).join(', ')}) RETURNING id`;
    const r = await conn.runAndReadAll(
      sql,
      cols.map((c) => (c[1] === undefined ? null : c[1])),
    );
    return Number(r.getRowObjectsJS()[0]!.id);
  }

  /** `telemetry`'s column names in table order, per schema (migrations only run at start-up, before any import). */
  #telemetryColumns: { schema: string; names: string[] } | null = null;

  async #telemetryColumnNames(conn: DuckDBConnection): Promise<string[]> {
    const cached = this.#telemetryColumns;
    if (cached && cached.schema === this.db.schema) return cached.names;
    const cols = await conn.runAndReadAll(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = 'telemetry' AND table_schema = current_schema() ORDER BY ordinal_position`,
    );
    const names = cols.getRowObjectsJS().map((c) => String(c.column_name));
    this.#telemetryColumns = { schema: this.db.schema, names };
    return names;
  }

  /**
   * One writer per column in the table's own order, read from the catalog, so a later nullable column just gets
   * NULL. Each writer fills a slice of rows into a chunk vector in JS (no N-API call per value); the vector's type
   * (the appender's column type) does the FLOAT/DOUBLE/INTEGER narrowing, as the typed append calls did.
   */
  #telemetryWriters(names: readonly string[], flightId: number, flight: ParsedFlight): ColumnWriter[] {
    const t = flight.telemetry;
    const id = BigInt(flightId);
    const numeric = t.numeric as Record<string, Float64Array | undefined>;
    return names.map((name): ColumnWriter => {
      switch (name) {
        case 'flight_id':
          return (v) => {
            for (let i = 0; i < v.itemCount; i++) v.setItem(i, id);
          };
        case 't_ms':
          return (v, from) => {
            for (let i = 0; i < v.itemCount; i++) v.setItem(i, Math.round(t.timeMs[from + i] ?? 0));
          };
        case 'cell_voltages':
          return (v, from) => {
            for (let i = 0; i < v.itemCount; i++) {
              const cells = t.cellVoltages[from + i];
              v.setItem(i, cells == null ? null : listValue(cells.map((c) => num(c))));
            }
          };
        case 'flight_mode':
          return (v, from) => {
            for (let i = 0; i < v.itemCount; i++) v.setItem(i, t.flightMode[from + i] ?? null);
          };
        case 'is_photo':
          return (v, from) => {
            for (let i = 0; i < v.itemCount; i++) v.setItem(i, t.isPhoto[from + i] === 1);
          };
        case 'is_video':
          return (v, from) => {
            for (let i = 0; i < v.itemCount; i++) v.setItem(i, t.isVideo[from + i] === 1);
          };
        default: {
          const column = numeric[snakeToCamel(name) as TelemetryNumericField];
          if (!column) {
            return (v) => {
              for (let i = 0; i < v.itemCount; i++) v.setItem(i, null);
            };
          }
          // Values first, NULLs after: a fresh vector has no validity mask, and once one NULL creates it every later
          // setItem() pays @duckdb/node-api's BigInt bit arithmetic; this way only the NULLs do. The values go in with
          // one typed-array copy where the vector exposes its array (same Float32/Float64 rounding as setItem()).
          return (v, from) => {
            const count = v.itemCount;
            const items = chunkFloatItems(v);
            let nulls = 0;
            if (items !== null) {
              items.set(column.subarray(from, from + count));
              for (let i = 0; i < count; i++) if (!Number.isFinite(column[from + i]!)) nulls++;
            } else {
              for (let i = 0; i < count; i++) {
                const x = column[from + i]!;
                if (Number.isFinite(x)) v.setItem(i, x);
                else nulls++;
              }
            }
            if (nulls === 0) return;
            for (let i = 0; i < count; i++) {
              if (!Number.isFinite(column[from + i]!)) v.setItem(i, null);
            }
          };
        }
      }
    });
  }

  /** The telemetry as data chunks of ≤ 2 048 rows: one N-API append per chunk instead of one call per value. */
  async #appendTelemetry(conn: DuckDBConnection, flightId: number, flight: ParsedFlight): Promise<void> {
    const names = await this.#telemetryColumnNames(conn);
    const writers = this.#telemetryWriters(names, flightId, flight);
    await withAppender(conn, 'telemetry', (appender) => {
      if (appender.columnCount !== writers.length) {
        throw new Error(`telemetry has ${appender.columnCount} columns, the cached catalog ${writers.length}`);
      }
      const types = writers.map((_w, c) => appender.columnType(c));
      const n = flight.telemetry.length;
      for (let from = 0; from < n; from += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, n - from);
        const chunk = DuckDBDataChunk.create(types, rows);
        writers.forEach((write, c) => {
          const vector = chunk.getColumnVector(c);
          write(vector, from);
          vector.flush();
        });
        appender.appendDataChunk(chunk);
      }
    });
  }

  async #appendMessages(conn: DuckDBConnection, flightId: number, flight: ParsedFlight): Promise<void> {
    if (flight.messages.length === 0) return;
    const id = BigInt(flightId);
    await withAppender(conn, 'flight_messages', (appender) => {
      for (const msg of flight.messages) {
        appender.appendBigInt(id);
        appender.appendInteger(Math.round(msg.timeMs));
        appender.appendVarchar(msg.severity);
        appender.appendVarchar(msg.text);
        appender.endRow();
      }
    });
  }
}
