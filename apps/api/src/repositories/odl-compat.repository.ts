import type { Database } from '../db/database.js';
import { DISPLAY_NAME_SQL, iso, num, str } from './flight.repository.js';

/** One flight as the Open DroneLog compatibility API needs it, before it is put in ODL's shape. */
export interface OdlFlightRow {
  id: number;
  fileName: string | null;
  displayName: string;
  fileHash: string | null;
  aircraftModel: string | null;
  aircraftSerial: string | null;
  aircraftName: string | null;
  batterySerial: string | null;
  startTime: string | null;
  durationS: number | null;
  distanceM: number | null;
  maxHeightM: number | null;
  maxHorizontalSpeedMps: number | null;
  homeLat: number | null;
  homeLon: number | null;
  frameCount: number;
  photoCount: number;
  videoCount: number;
  batteryCycles: number | null;
  rcSerial: string | null;
  notes: string | null;
  color: string | null;
  tags: Array<{ name: string; kind: 'auto' | 'manual' }>;
}

/**
 * Reads for the Open DroneLog compatibility API (ODL_COMPAT_API): the whole flight list with file hashes (ODL's
 * GET /api/flights has no paging, and its uploader compares every hash), and the facts of one flight that an ODL
 * import answer names.
 */
export class OdlCompatRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every flight, newest first, with its tags (auto first, then manual, each alphabetically). */
  async flights(): Promise<OdlFlightRow[]> {
    // lower(): the uploader compares lowercase hex; hashes brought over from other tools must match too.
    const r = await this.#db.reader.runAndReadAll(`
      SELECT f.id, f.file_name, ${DISPLAY_NAME_SQL} AS display_name, lower(f.file_hash) AS file_hash,
        f.aircraft_model, f.aircraft_serial, f.aircraft_name, f.battery_serial, f.start_time, f.duration_s,
        f.distance_m, f.max_height_m, f.max_horizontal_speed_mps, f.home_lat, f.home_lon, f.frame_count,
        f.photo_count, f.video_count, f.battery_cycles, f.rc_serial, f.notes, f.color
      FROM flights f
      ORDER BY f.start_time DESC, f.id DESC`);
    const tags = await this.#db.reader.runAndReadAll(
      `SELECT flight_id, tag, kind FROM flight_tags ORDER BY flight_id, kind = 'auto' DESC, lower(tag), tag`,
    );
    const byFlight = new Map<number, OdlFlightRow['tags']>();
    for (const t of tags.getRowObjectsJS()) {
      const id = Number(t.flight_id);
      const list = byFlight.get(id) ?? [];
      list.push({ name: String(t.tag), kind: t.kind === 'auto' ? 'auto' : 'manual' });
      byFlight.set(id, list);
    }
    return r.getRowObjectsJS().map((row) => {
      const id = Number(row.id);
      return {
        id,
        fileName: str(row.file_name),
        displayName: String(row.display_name),
        fileHash: str(row.file_hash),
        aircraftModel: str(row.aircraft_model),
        aircraftSerial: str(row.aircraft_serial),
        aircraftName: str(row.aircraft_name),
        batterySerial: str(row.battery_serial),
        startTime: iso(row.start_time),
        durationS: num(row.duration_s),
        distanceM: num(row.distance_m),
        maxHeightM: num(row.max_height_m),
        maxHorizontalSpeedMps: num(row.max_horizontal_speed_mps),
        homeLat: num(row.home_lat),
        homeLon: num(row.home_lon),
        frameCount: num(row.frame_count) ?? 0,
        photoCount: num(row.photo_count) ?? 0,
        videoCount: num(row.video_count) ?? 0,
        batteryCycles: num(row.battery_cycles),
        rcSerial: str(row.rc_serial),
        notes: str(row.notes),
        color: str(row.color),
        tags: byFlight.get(id) ?? [],
      };
    });
  }

  /** The shown name and recorded frame count of one flight, or null when it does not exist. */
  async flightFacts(id: number): Promise<{ displayName: string; frameCount: number } | null> {
    const r = await this.#db.reader.runAndReadAll(`SELECT ${DISPLAY_NAME_SQL} AS display_name, f.frame_count FROM flights f WHERE f.id = $1`, [
      BigInt(id),
    ]);
    const row = r.getRowObjectsJS()[0];
    return row ? { displayName: String(row.display_name), frameCount: num(row.frame_count) ?? 0 } : null;
  }
}
