import type { EquipmentKind, MaintenanceThresholds, ServiceRecord } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { SqlParams, iso, num } from './flight.repository.js';
import { finite } from './analytics-sql.repository.js';

/**
 * Maintenance state in DuckDB: default thresholds per kind, per-item overrides, service records; and the usage of
 * every aircraft/battery since its last service, from the flights table.
 */

export type ThresholdChanges = Partial<MaintenanceThresholds>;

/** Per-item overrides; a null field falls back to the kind's default. */
export type ItemThresholds = MaintenanceThresholds;

export interface UsageSince {
  firstUsedAt: string | null;
  flights: number;
  durationS: number;
}

export const itemKey = (kind: EquipmentKind, serial: string): string => `${kind}\u0000${serial}`;

const COLUMN: Record<keyof MaintenanceThresholds, string> = { flights: 'max_flights', hours: 'max_hours', days: 'max_days' };

function toThresholds(r: Record<string, unknown> | undefined): MaintenanceThresholds {
  return { flights: num(r?.max_flights), hours: num(r?.max_hours), days: num(r?.max_days) };
}

function toRecord(r: Record<string, unknown>): ServiceRecord {
  return {
    id: num(r.id) ?? 0,
    kind: r.kind === 'battery' ? 'battery' : 'aircraft',
    serial: String(r.serial),
    performedAt: iso(r.performed_at) ?? '',
    note: r.note === null || r.note === undefined ? null : String(r.note),
    createdAt: iso(r.created_at) ?? '',
  };
}

const usedSql = (kind: EquipmentKind): string => {
  const col = kind === 'aircraft' ? 'f.aircraft_serial' : 'f.battery_serial';
  return `SELECT '${kind}' AS kind, ${col} AS serial, f.start_time, ${finite('f.duration_s')} AS d
          FROM flights f WHERE nullif(trim(${col}), '') IS NOT NULL`;
};

export class MaintenanceRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async defaults(): Promise<Record<EquipmentKind, MaintenanceThresholds>> {
    const rows = (await this.#db.reader.runAndReadAll('SELECT kind, max_flights, max_hours, max_days FROM maintenance_defaults')).getRowObjectsJS();
    const byKind = new Map(rows.map((r) => [String(r.kind), r]));
    return { aircraft: toThresholds(byKind.get('aircraft')), battery: toThresholds(byKind.get('battery')) };
  }

  async setDefaults(kind: EquipmentKind, changes: ThresholdChanges): Promise<void> {
    await this.#upsertThresholds('maintenance_defaults', { kind }, changes);
  }

  async itemThresholds(): Promise<Map<string, ItemThresholds>> {
    const rows = (
      await this.#db.reader.runAndReadAll('SELECT kind, serial, max_flights, max_hours, max_days FROM maintenance_thresholds')
    ).getRowObjectsJS();
    return new Map(rows.map((r) => [itemKey(r.kind === 'battery' ? 'battery' : 'aircraft', String(r.serial)), toThresholds(r)]));
  }

  async setItemThresholds(kind: EquipmentKind, serial: string, changes: ThresholdChanges): Promise<void> {
    await this.#upsertThresholds('maintenance_thresholds', { kind, serial }, changes);
  }

  /** Reads the row, merges the changes, writes it back (created if missing); one transaction. */
  async #upsertThresholds(table: string, key: Record<string, string>, changes: ThresholdChanges): Promise<void> {
    await this.#db.transaction(async (conn) => {
      const keyCols = Object.keys(key);
      const p = new SqlParams();
      const where = keyCols.map((k) => `${k} = ${p.add(key[k]!)}`).join(' AND ');
      const current = toThresholds((await conn.runAndReadAll(`SELECT * FROM ${table} WHERE ${where}`, p.values)).getRowObjectsJS()[0]);
      const next = { ...current, ...changes };
      const w = new SqlParams();
      const cols = [...keyCols, 'max_flights', 'max_hours', 'max_days', 'updated_at'];
      const values = [...keyCols.map((k) => w.add(key[k]!)), w.add(next.flights), w.add(next.hours), w.add(next.days), 'now()'];
      const updates = (['flights', 'hours', 'days'] as const).map((f) => `${COLUMN[f]} = excluded.${COLUMN[f]}`);
      await conn.run(
        `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${values.join(', ')})
         ON CONFLICT (${keyCols.join(', ')}) DO UPDATE SET ${updates.join(', ')}, updated_at = excluded.updated_at`,
        w.values,
      );
    });
  }

  /** The latest service record of every item that has one. */
  async lastServices(): Promise<Map<string, ServiceRecord>> {
    const rows = (
      await this.#db.reader.runAndReadAll(`
        SELECT * FROM service_records
        QUALIFY row_number() OVER (PARTITION BY kind, serial ORDER BY performed_at DESC, id DESC) = 1`)
    ).getRowObjectsJS();
    return new Map(rows.map((r) => { const rec = toRecord(r); return [itemKey(rec.kind, rec.serial), rec]; }));
  }

  async addService(kind: EquipmentKind, serial: string, performedAt: string, note: string | null): Promise<ServiceRecord> {
    return this.#db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `INSERT INTO service_records (kind, serial, performed_at, note) VALUES ($1, $2, $3::TIMESTAMPTZ, $4) RETURNING *`,
        [kind, serial, performedAt, note],
      );
      return toRecord(r.getRowObjectsJS()[0]!);
    });
  }

  async services(kind: EquipmentKind, serial: string): Promise<ServiceRecord[]> {
    const r = await this.#db.reader.runAndReadAll(
      'SELECT * FROM service_records WHERE kind = $1 AND serial = $2 ORDER BY performed_at DESC, id DESC',
      [kind, serial],
    );
    return r.getRowObjectsJS().map(toRecord);
  }

  async deleteService(id: number): Promise<boolean> {
    return this.#db.transaction(async (conn) => (await conn.run('DELETE FROM service_records WHERE id = $1', [id])).rowsChanged > 0);
  }

  /** Per used serial: first flight, and flights and flight time at or after its last service (all when never serviced). */
  async usageSinceLastService(): Promise<Map<string, UsageSince>> {
    const rows = (
      await this.#db.reader.runAndReadAll(`
        WITH last AS (SELECT kind, serial, max(performed_at) AS at FROM service_records GROUP BY kind, serial),
        used AS (${usedSql('aircraft')} UNION ALL ${usedSql('battery')})
        SELECT u.kind, u.serial, min(u.start_time) AS first_used,
               count(*) FILTER (WHERE l.at IS NULL OR u.start_time >= l.at) AS flights,
               coalesce(sum(u.d) FILTER (WHERE l.at IS NULL OR u.start_time >= l.at), 0) AS duration_s
        FROM used u LEFT JOIN last l ON l.kind = u.kind AND l.serial = u.serial
        GROUP BY u.kind, u.serial`)
    ).getRowObjectsJS();
    return new Map(
      rows.map((r) => [
        itemKey(r.kind === 'battery' ? 'battery' : 'aircraft', String(r.serial)),
        { firstUsedAt: iso(r.first_used), flights: num(r.flights) ?? 0, durationS: num(r.duration_s) ?? 0 },
      ]),
    );
  }
}
