import type { DuckDBValue } from '@duckdb/node-api';
import { MANUAL_SOURCE_FORMAT } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { insertAuditEntries, type NewAuditEntry } from './audit.repository.js';
import { SIGNATURE_START_TOLERANCE_MS } from './flight-write.repository.js';

/** A manual entry as stored: a flights row with source_format 'manual' and no telemetry. */
export interface ManualFlightRow {
  name: string | null;
  notes: string | null;
  aircraftName: string;
  aircraftModel: string | null;
  aircraftSerial: string;
  batterySerial: string;
  startTime: string;
  endTime: string;
  durationS: number;
  homeLat: number;
  homeLon: number;
  distanceM: number | null;
  maxHeightM: number | null;
}

export type ManualInsertResult = { kind: 'inserted'; flightId: number } | { kind: 'duplicate'; flightId: number };

export class ManualFlightRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * One transaction: the duplicate check (same aircraft and battery, start within the importer's tolerance), the
   * flights row, its auto tags and its audit entry (built from the new id).
   */
  async insert(
    row: ManualFlightRow,
    autoTags: readonly string[],
    audit: (flightId: number) => NewAuditEntry,
    localTime: { timeZone: string; localStartTime: string } | null = null,
  ): Promise<ManualInsertResult> {
    return this.#db.transaction(async (conn) => {
      const dup = await conn.runAndReadAll(
        `SELECT id FROM flights WHERE aircraft_serial = $1 AND battery_serial = $2
           AND start_time BETWEEN $3::TIMESTAMPTZ - INTERVAL ${SIGNATURE_START_TOLERANCE_MS} MILLISECOND
                              AND $3::TIMESTAMPTZ + INTERVAL ${SIGNATURE_START_TOLERANCE_MS} MILLISECOND
         ORDER BY id LIMIT 1`,
        [row.aircraftSerial, row.batterySerial, row.startTime],
      );
      const existing = dup.getRowObjectsJS()[0];
      if (existing) return { kind: 'duplicate', flightId: Number(existing.id) };
      const cols: Array<[string, DuckDBValue, string?]> = [
        ['source_format', MANUAL_SOURCE_FORMAT],
        ['name', row.name],
        ['notes', row.notes],
        ['aircraft_name', row.aircraftName],
        ['aircraft_model', row.aircraftModel],
        ['aircraft_serial', row.aircraftSerial],
        ['battery_serial', row.batterySerial],
        ['start_time', row.startTime, 'TIMESTAMPTZ'],
        ['end_time', row.endTime, 'TIMESTAMPTZ'],
        ['duration_s', row.durationS],
        ['home_lat', row.homeLat],
        ['home_lon', row.homeLon],
        ['home_source', 'manual'],
        ['takeoff_lat', row.homeLat],
        ['takeoff_lon', row.homeLon],
        ['distance_m', row.distanceM],
        ['max_height_m', row.maxHeightM],
        ['parse_warnings', '[]', 'JSON'],
        ['local_time_zone', localTime?.timeZone ?? null],
        ['local_start_time', localTime?.localStartTime ?? null, 'TIMESTAMP'],
      ];
      const r = await conn.runAndReadAll(
        `INSERT INTO flights (${cols.map((c) => c[0]).join(', ')})
         VALUES (${cols.map((c, i) => `$${i + 1}${c[2] ? `::${c[2]}` : ''}`).join(', ')}) RETURNING id`,
        cols.map((c) => c[1]),
      );
      const flightId = Number(r.getRowObjectsJS()[0]!.id);
      for (const tag of autoTags) {
        await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, 'auto') ON CONFLICT DO NOTHING`, [flightId, tag]);
      }
      await insertAuditEntries(conn, [audit(flightId)]);
      return { kind: 'inserted', flightId };
    });
  }
}
