import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditAction, AuditEntry } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { iso, num } from './flight.repository.js';

/** `audit_log`: one row per changed field of a flight (or per create/delete). Never deleted with the flight. */

export interface NewAuditEntry {
  flightId: number;
  action: AuditAction;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  actor: string | null;
}

/** Writes entries inside the caller's transaction (so a change and its record commit together). */
export async function insertAuditEntries(conn: DuckDBConnection, entries: readonly NewAuditEntry[]): Promise<void> {
  for (const e of entries) {
    await conn.run(
      'INSERT INTO audit_log (flight_id, action, field, old_value, new_value, actor) VALUES ($1, $2, $3, $4, $5, $6)',
      [e.flightId, e.action, e.field, e.oldValue, e.newValue, e.actor],
    );
  }
}

export class AuditRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async insert(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#db.transaction((conn) => insertAuditEntries(conn, entries));
  }

  async forFlight(flightId: number): Promise<AuditEntry[]> {
    const r = await this.#db.reader.runAndReadAll(
      'SELECT id, flight_id, action, field, old_value, new_value, changed_at, actor FROM audit_log WHERE flight_id = $1 ORDER BY changed_at, id',
      [flightId],
    );
    const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return r.getRowObjectsJS().map((row) => ({
      id: num(row.id) ?? 0,
      flightId: num(row.flight_id) ?? 0,
      action: (['create', 'update', 'delete'] as const).find((a) => a === row.action) ?? 'update',
      field: s(row.field),
      oldValue: s(row.old_value),
      newValue: s(row.new_value),
      at: iso(row.changed_at) ?? '',
      actor: s(row.actor),
    }));
  }
}
