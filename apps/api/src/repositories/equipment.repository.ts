import type { CapacityPoint, EquipmentItem, EquipmentKind } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { SqlParams, iso, num, str } from './flight.repository.js';
import { finite } from './analytics-sql.repository.js';

/**
 * `equipment` (names, retirement, notes per aircraft/battery serial) joined with what the flights table says about
 * each serial; and the per-battery statistics behind the health estimate. Reads the flights table only.
 */

export interface EquipmentChanges {
  displayName?: string | null;
  retired?: boolean;
  notes?: string | null;
}

export interface BatteryStatsRow {
  serial: string;
  displayName: string | null;
  retired: boolean;
  aircraftModel: string | null;
  flights: number;
  durationS: number;
  firstUsedAt: string;
  lastUsedAt: string;
  /** Cycle count of the latest flight that logged one. */
  loggedCycles: number | null;
  /** Design capacity of the latest flight that logged one, mAh. */
  designCapacityMah: number | null;
  firstCapacityMah: number | null;
  latestCapacityMah: number | null;
  minVoltageV: number | null;
  minTemperatureC: number | null;
  maxTemperatureC: number | null;
}

const MODEL_SQL = `coalesce(nullif(trim(f.aircraft_model), ''), nullif(trim(f.aircraft_name), ''))`;
const CAPACITY_SQL = `(CASE WHEN isfinite(f.battery_full_capacity_mah) AND f.battery_full_capacity_mah > 0 THEN f.battery_full_capacity_mah END)`;
const DESIGN_CAPACITY_SQL = `(CASE WHEN isfinite(f.battery_design_capacity_mah) AND f.battery_design_capacity_mah > 0 THEN f.battery_design_capacity_mah END)`;

/** Serials as the flights table has them (the list filters compare them exactly); blank ones are not equipment. */
const usedSql = (kind: EquipmentKind): string => {
  const col = kind === 'aircraft' ? 'f.aircraft_serial' : 'f.battery_serial';
  const appName = kind === 'aircraft' ? `arg_max(nullif(trim(f.aircraft_name), ''), f.start_time)` : 'NULL';
  return `SELECT '${kind}' AS kind, ${col} AS serial, ${appName} AS app_name, arg_max(${MODEL_SQL}, f.start_time) AS model,
            count(*) AS flights, coalesce(sum(${finite('f.duration_s')}), 0) AS duration_s,
            min(f.start_time) AS first_used, max(f.start_time) AS last_used
          FROM flights f WHERE nullif(trim(${col}), '') IS NOT NULL GROUP BY ${col}`;
};

export class EquipmentRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every serial seen in flights or named in `equipment`; optionally one item only. */
  async list(only?: { kind: EquipmentKind; serial: string }): Promise<EquipmentItem[]> {
    const p = new SqlParams();
    const filter = only ? `WHERE kind = ${p.add(only.kind)} AND serial = ${p.add(only.serial)}` : '';
    const rows = (
      await this.#db.reader.runAndReadAll(
        `WITH used AS (${usedSql('aircraft')} UNION ALL ${usedSql('battery')}),
         joined AS (
           SELECT coalesce(u.kind, e.kind) AS kind, coalesce(u.serial, e.serial) AS serial, u.app_name, u.model,
                  coalesce(u.flights, 0) AS flights, coalesce(u.duration_s, 0) AS duration_s, u.first_used, u.last_used,
                  nullif(trim(e.display_name), '') AS display_name, coalesce(e.retired, false) AS retired, e.notes
           FROM used u FULL OUTER JOIN equipment e ON e.kind = u.kind AND e.serial = u.serial
         )
         SELECT * FROM joined ${filter}
         ORDER BY kind = 'battery', retired, last_used DESC NULLS LAST, serial`,
        p.values,
      )
    ).getRowObjectsJS();
    return rows.map((r) => {
      const serial = String(r.serial);
      const displayName = str(r.display_name);
      return {
        kind: r.kind === 'battery' ? 'battery' : 'aircraft',
        serial,
        name: displayName ?? str(r.app_name) ?? serial,
        displayName,
        model: str(r.model),
        retired: r.retired === true,
        notes: str(r.notes),
        flights: num(r.flights) ?? 0,
        durationS: num(r.duration_s) ?? 0,
        firstUsedAt: iso(r.first_used),
        lastUsedAt: iso(r.last_used),
      };
    });
  }

  /** Applies the given changes to the item's row (created if missing), in one transaction. */
  async upsert(kind: EquipmentKind, serial: string, changes: EquipmentChanges): Promise<void> {
    await this.#db.transaction(async (conn) => {
      const current = (
        await conn.runAndReadAll('SELECT display_name, retired, notes FROM equipment WHERE kind = $1 AND serial = $2', [kind, serial])
      ).getRowObjectsJS()[0];
      const displayName = changes.displayName !== undefined ? changes.displayName : str(current?.display_name);
      const retired = changes.retired !== undefined ? changes.retired : current?.retired === true;
      const notes = changes.notes !== undefined ? changes.notes : str(current?.notes);
      await conn.run(
        `INSERT INTO equipment (kind, serial, display_name, retired, notes, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (kind, serial) DO UPDATE SET display_name = excluded.display_name, retired = excluded.retired,
           notes = excluded.notes, updated_at = excluded.updated_at`,
        [kind, serial, displayName, retired, notes],
      );
    });
  }

  /**
   * Per battery serial: use, the latest logged cycle count and design capacity, first/latest full-charge capacity and
   * extremes, from the flights table. (arg_max skips flights whose value is NULL, so "latest" means latest that logged one.)
   */
  async batteryStats(): Promise<BatteryStatsRow[]> {
    const rows = (
      await this.#db.reader.runAndReadAll(`
        WITH b AS (
          SELECT f.battery_serial AS serial,
                 arg_max(${MODEL_SQL}, f.start_time) AS aircraft_model,
                 count(*) AS flights,
                 coalesce(sum(${finite('f.duration_s')}), 0) AS duration_s,
                 min(f.start_time) AS first_used,
                 max(f.start_time) AS last_used,
                 arg_max(f.battery_cycles, f.start_time) AS logged_cycles,
                 arg_max(${DESIGN_CAPACITY_SQL}, f.start_time) AS design_capacity,
                 arg_min(${CAPACITY_SQL}, f.start_time) AS first_capacity,
                 arg_max(${CAPACITY_SQL}, f.start_time) AS latest_capacity,
                 min(${finite('f.min_voltage_v')}) FILTER (WHERE f.min_voltage_v > 0) AS min_voltage_v,
                 min(${finite('f.battery_min_temp_c')}) AS min_temp_c,
                 max(${finite('f.battery_max_temp_c')}) AS max_temp_c
          FROM flights f
          WHERE nullif(trim(f.battery_serial), '') IS NOT NULL
          GROUP BY f.battery_serial
        )
        SELECT b.*, nullif(trim(e.display_name), '') AS display_name, coalesce(e.retired, false) AS retired
        FROM b LEFT JOIN equipment e ON e.kind = 'battery' AND e.serial = b.serial
        ORDER BY retired, b.last_used DESC, b.serial`)
    ).getRowObjectsJS();
    return rows.map((r) => ({
      serial: String(r.serial),
      displayName: str(r.display_name),
      retired: r.retired === true,
      aircraftModel: str(r.aircraft_model),
      flights: num(r.flights) ?? 0,
      durationS: num(r.duration_s) ?? 0,
      firstUsedAt: iso(r.first_used) ?? '',
      lastUsedAt: iso(r.last_used) ?? '',
      loggedCycles: num(r.logged_cycles),
      designCapacityMah: num(r.design_capacity),
      firstCapacityMah: num(r.first_capacity),
      latestCapacityMah: num(r.latest_capacity),
      minVoltageV: num(r.min_voltage_v),
      minTemperatureC: num(r.min_temp_c),
      maxTemperatureC: num(r.max_temp_c),
    }));
  }

  /** Full-charge capacity per flight, by battery serial, oldest first. */
  async capacityTrends(): Promise<Map<string, CapacityPoint[]>> {
    const rows = (
      await this.#db.reader.runAndReadAll(`
        SELECT f.battery_serial AS serial, f.id, f.start_time, ${CAPACITY_SQL} AS capacity
        FROM flights f
        WHERE nullif(trim(f.battery_serial), '') IS NOT NULL AND ${CAPACITY_SQL} IS NOT NULL
        ORDER BY f.battery_serial, f.start_time, f.id`)
    ).getRowsJS();
    const out = new Map<string, CapacityPoint[]>();
    for (const [serial, id, start, capacity] of rows) {
      const key = String(serial);
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push([num(id) ?? 0, iso(start) ?? '', num(capacity) ?? 0]);
    }
    return out;
  }
}
