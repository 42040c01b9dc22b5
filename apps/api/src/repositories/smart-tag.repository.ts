import type { Database } from '../db/database.js';

/** A flight's per-flight aggregates as the smart-tag rules read them (columns of `flights`). */
export interface FlightTagFacts {
  id: number;
  sourceFormat: string;
  /** UTC ISO-8601. */
  startTime: string;
  endTime: string | null;
  durationS: number | null;
  /** Home point, else take-off point. */
  latitude: number | null;
  longitude: number | null;
  gpsFrameCount: number;
  distanceM: number | null;
  maxHorizontalSpeedMps: number | null;
  maxHeightM: number | null;
  maxAltitudeM: number | null;
  maxDistanceFromHomeM: number | null;
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  batteryStartTemperatureC: number | null;
  /** Current auto tags. */
  autoTags: string[];
  localTimeZone: string | null;
}

export interface LocalTimeUpdate {
  flightId: number;
  timeZone: string;
  /** Wall clock at take-off, 'YYYY-MM-DDTHH:MM:SS.sss' (no zone). */
  localStartTime: string;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads the aggregates the smart-tag rules need and rewrites a flight's auto tags. Manual tags (kind other than
 * 'auto') are never read or written here. A manual tag that has the same name as a computed auto tag stays
 * manual (the primary key is (flight_id, tag)), so no duplicate appears.
 */
export class SmartTagRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every flight's facts, or with `missingLocalTime` only those with a position but no local time yet. */
  async listFacts(options: { missingLocalTime?: boolean } = {}): Promise<FlightTagFacts[]> {
    const where = options.missingLocalTime
      ? `WHERE f.local_time_zone IS NULL AND coalesce(f.home_lat, f.takeoff_lat) IS NOT NULL`
      : '';
    const r = await this.#db.reader.runAndReadAll(`
      SELECT f.id, f.source_format, epoch_ms(f.start_time) AS start_ms, epoch_ms(f.end_time) AS end_ms, f.duration_s,
        coalesce(f.home_lat, f.takeoff_lat) AS lat, coalesce(f.home_lon, f.takeoff_lon) AS lon, f.gps_frame_count,
        f.distance_m, f.max_horizontal_speed_mps, f.max_height_m, f.max_altitude_m, f.max_distance_from_home_m,
        f.battery_start_percent, f.battery_end_percent, f.battery_start_temp_c, f.local_time_zone,
        coalesce((SELECT list(t.tag ORDER BY t.tag) FROM flight_tags t WHERE t.flight_id = f.id AND t.kind = 'auto'), []) AS auto_tags
      FROM flights f
      ${where}
      ORDER BY f.id`);
    return r.getRowObjectsJS().map((row) => ({
      id: Number(row.id),
      sourceFormat: String(row.source_format),
      startTime: new Date(Number(row.start_ms)).toISOString(),
      endTime: row.end_ms === null ? null : new Date(Number(row.end_ms)).toISOString(),
      durationS: num(row.duration_s),
      latitude: num(row.lat),
      longitude: num(row.lon),
      gpsFrameCount: num(row.gps_frame_count) ?? 0,
      distanceM: num(row.distance_m),
      maxHorizontalSpeedMps: num(row.max_horizontal_speed_mps),
      maxHeightM: num(row.max_height_m),
      maxAltitudeM: num(row.max_altitude_m),
      maxDistanceFromHomeM: num(row.max_distance_from_home_m),
      batteryStartPercent: num(row.battery_start_percent),
      batteryEndPercent: num(row.battery_end_percent),
      batteryStartTemperatureC: num(row.battery_start_temp_c),
      autoTags: Array.isArray(row.auto_tags) ? row.auto_tags.map(String) : [],
      localTimeZone: row.local_time_zone === null || row.local_time_zone === undefined ? null : String(row.local_time_zone),
    }));
  }

  /**
   * Makes `tags` the exact set of auto tags of each given flight, all in one transaction. Only the difference is
   * written: DuckDB refuses to delete and re-insert the same primary key inside one transaction.
   */
  async replaceAutoTags(changes: ReadonlyArray<{ flightId: number; tags: readonly string[] }>): Promise<void> {
    if (changes.length === 0) return;
    await this.#db.transaction(async (conn) => {
      for (const { flightId, tags } of changes) {
        const rows = (await conn.runAndReadAll(`SELECT tag FROM flight_tags WHERE flight_id = $1 AND kind = 'auto'`, [flightId])).getRowObjectsJS();
        const current = new Set(rows.map((r) => String(r.tag)));
        const wanted = new Set(tags);
        for (const tag of current) {
          if (!wanted.has(tag)) await conn.run(`DELETE FROM flight_tags WHERE flight_id = $1 AND tag = $2 AND kind = 'auto'`, [flightId, tag]);
        }
        for (const tag of wanted) {
          if (!current.has(tag)) {
            await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, 'auto') ON CONFLICT DO NOTHING`, [flightId, tag]);
          }
        }
      }
    });
  }

  /** Sets the local take-off time of flights imported before it was recorded. */
  async setLocalTimes(updates: readonly LocalTimeUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.#db.transaction(async (conn) => {
      for (const u of updates) {
        await conn.run('UPDATE flights SET local_time_zone = $2, local_start_time = $3::TIMESTAMP WHERE id = $1', [
          u.flightId,
          u.timeZone,
          u.localStartTime,
        ]);
      }
    });
  }
}
