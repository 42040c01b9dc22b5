import type { BreakdownItem, OverviewRecords, OverviewTotals, TopFlight } from '@dronelog/contracts';
import { DURATION_BAND_LIMITS_S } from '@dronelog/contracts';
import type { Database } from '../db/database.js';
import { DISPLAY_NAME_SQL, SqlParams, flightWhereSql, iso, num, type FlightFilter } from './flight.repository.js';
import { TAKEOFF_LAT_SQL, TAKEOFF_LON_SQL, detectLocalTimeSql, finite, validPositionSql, type LocalTimeSql } from './analytics-sql.repository.js';

/**
 * The overview dashboard's aggregates. Every query reads the `flights` table (plus `equipment` for display names)
 * with the list filters applied; telemetry is never touched, whatever the size of the logbook.
 */

export interface DayCount {
  date: string;
  flights: number;
  durationS: number;
}

export interface HourCounts {
  hours: Array<{ hour: number; flights: number; durationS: number }>;
  utcFallbackFlights: number;
  localAvailable: boolean;
}

export interface BandCounts {
  flights: [number, number, number];
  durationS: [number, number, number];
}

export type TopMetric = 'duration' | 'distanceFromHome' | 'height';

const TOP_COLUMN: Record<TopMetric, string> = {
  duration: 'f.duration_s',
  distanceFromHome: 'f.max_distance_from_home_m',
  height: 'f.max_height_m',
};

export class OverviewRepository {
  readonly #db: Database;
  #local: Promise<LocalTimeSql> | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  #localTime(): Promise<LocalTimeSql> {
    this.#local ??= detectLocalTimeSql(this.#db);
    return this.#local;
  }

  async #rows(sql: string, p: SqlParams): Promise<Record<string, unknown>[]> {
    return (await this.#db.reader.runAndReadAll(sql, p.values)).getRowObjectsJS();
  }

  async totalsAndRecords(filter: FlightFilter): Promise<{ totals: OverviewTotals; records: OverviewRecords }> {
    const p = new SqlParams();
    const d = finite('f.duration_s');
    const m = finite('f.distance_m');
    const [r = {}] = await this.#rows(
      `SELECT count(*) AS flights,
              coalesce(sum(${d}), 0) AS duration_s,
              coalesce(sum(${m}), 0) AS distance_m,
              coalesce(sum(f.photo_count), 0) AS photos,
              coalesce(sum(f.video_count), 0) AS videos,
              count(DISTINCT nullif(trim(f.aircraft_serial), '')) AS aircraft,
              count(DISTINCT nullif(trim(f.battery_serial), '')) AS batteries,
              max(${finite('f.max_height_m')}) AS max_height_m,
              max(${finite('f.max_distance_from_home_m')}) AS max_distance_from_home_m,
              max(${finite('f.max_horizontal_speed_mps')}) AS max_speed_mps,
              avg(${d}) AS avg_duration_s,
              avg(${m}) AS avg_distance_m,
              sum(${m}) FILTER (WHERE ${m} IS NOT NULL AND ${d} > 0) / nullif(sum(${d}) FILTER (WHERE ${m} IS NOT NULL AND ${d} > 0), 0) AS avg_speed_mps
       FROM flights f WHERE ${flightWhereSql(filter, p)}`,
      p,
    );
    return {
      totals: {
        flights: num(r.flights) ?? 0,
        durationS: num(r.duration_s) ?? 0,
        distanceM: num(r.distance_m) ?? 0,
        photos: num(r.photos) ?? 0,
        videos: num(r.videos) ?? 0,
        aircraft: num(r.aircraft) ?? 0,
        batteries: num(r.batteries) ?? 0,
      },
      records: {
        maxHeightM: num(r.max_height_m),
        maxDistanceFromHomeM: num(r.max_distance_from_home_m),
        maxHorizontalSpeedMps: num(r.max_speed_mps),
        avgDurationS: num(r.avg_duration_s),
        avgDistanceM: num(r.avg_distance_m),
        avgSpeedMps: num(r.avg_speed_mps),
      },
    };
  }

  /** Flights and time per local day (UTC when unknown) for days in [fromDay, toDay]; days without flights are absent. */
  async activity(filter: FlightFilter, fromDay: string, toDay: string): Promise<DayCount[]> {
    const local = await this.#localTime();
    const p = new SqlParams();
    const where = flightWhereSql(filter, p);
    const rows = await this.#rows(
      `SELECT day, count(*) AS flights, coalesce(sum(d), 0) AS duration_s
       FROM (SELECT substr(${local.iso}, 1, 10) AS day, ${finite('f.duration_s')} AS d FROM flights f WHERE ${where})
       WHERE day BETWEEN ${p.add(fromDay)} AND ${p.add(toDay)}
       GROUP BY day ORDER BY day`,
      p,
    );
    return rows.map((r) => ({ date: String(r.day), flights: num(r.flights) ?? 0, durationS: num(r.duration_s) ?? 0 }));
  }

  /** Flights and time per aircraft or battery serial (NULL serial = one group), with display names; most flights first. */
  async breakdown(filter: FlightFilter, kind: 'aircraft' | 'battery'): Promise<BreakdownItem[]> {
    const p = new SqlParams();
    const serial = kind === 'aircraft' ? 'f.aircraft_serial' : 'f.battery_serial';
    const model = `coalesce(nullif(trim(f.aircraft_model), ''), nullif(trim(f.aircraft_name), ''))`;
    const appName = kind === 'aircraft' ? `arg_max(nullif(trim(f.aircraft_name), ''), f.start_time)` : 'NULL';
    const rows = await this.#rows(
      `WITH b AS (
         SELECT CASE WHEN nullif(trim(${serial}), '') IS NOT NULL THEN ${serial} END AS serial, ${appName} AS app_name, arg_max(${model}, f.start_time) AS model,
                count(*) AS flights, coalesce(sum(${finite('f.duration_s')}), 0) AS duration_s
         FROM flights f WHERE ${flightWhereSql(filter, p)}
         GROUP BY 1
       )
       SELECT b.*, nullif(trim(e.display_name), '') AS display_name
       FROM b LEFT JOIN equipment e ON e.kind = ${p.add(kind)} AND e.serial = b.serial
       ORDER BY b.flights DESC, b.serial NULLS LAST`,
      p,
    );
    return rows.map((r) => {
      const s = r.serial === null || r.serial === undefined ? null : String(r.serial);
      const name = (r.display_name ?? r.app_name ?? s ?? (kind === 'aircraft' ? 'Unknown aircraft' : 'Unknown battery')) as string;
      return {
        serial: s,
        name: String(name),
        model: r.model === null || r.model === undefined ? null : String(r.model),
        flights: num(r.flights) ?? 0,
        durationS: num(r.duration_s) ?? 0,
      };
    });
  }

  /** Flights and time per duration band: [0, 600), [600, 1200], (1200, ∞) seconds. */
  async durationBands(filter: FlightFilter): Promise<BandCounts> {
    const p = new SqlParams();
    const [lo, hi] = DURATION_BAND_LIMITS_S;
    const bands = [`d < ${lo}`, `d >= ${lo} AND d <= ${hi}`, `d > ${hi}`];
    const cols = bands.map((c, i) => `count(*) FILTER (WHERE ${c}) AS n${i}, coalesce(sum(d) FILTER (WHERE ${c}), 0) AS s${i}`);
    const [r = {}] = await this.#rows(
      `SELECT ${cols.join(', ')} FROM (SELECT ${finite('f.duration_s')} AS d FROM flights f WHERE ${flightWhereSql(filter, p)})`,
      p,
    );
    const n = (k: string) => num(r[k]) ?? 0;
    return { flights: [n('n0'), n('n1'), n('n2')], durationS: [n('s0'), n('s1'), n('s2')] };
  }

  /** Flights per hour of the local take-off time (UTC for flights whose local time is unknown). */
  async hourOfDay(filter: FlightFilter): Promise<HourCounts> {
    const local = await this.#localTime();
    const p = new SqlParams();
    const rows = await this.#rows(
      `SELECT CAST(substr(${local.iso}, 12, 2) AS INTEGER) AS hour, count(*) AS flights,
              coalesce(sum(${finite('f.duration_s')}), 0) AS duration_s,
              count(*) FILTER (WHERE NOT ${local.known}) AS fallback
       FROM flights f WHERE ${flightWhereSql(filter, p)}
       GROUP BY hour`,
      p,
    );
    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, flights: 0, durationS: 0 }));
    let fallback = 0;
    for (const r of rows) {
      const h = hours[num(r.hour) ?? -1];
      if (!h) continue;
      h.flights = num(r.flights) ?? 0;
      h.durationS = num(r.duration_s) ?? 0;
      fallback += num(r.fallback) ?? 0;
    }
    return { hours, utcFallbackFlights: fallback, localAvailable: local.available };
  }

  /** Take-off positions of the most recent `limit` flights with one, and how many flights have one. */
  async takeoffs(filter: FlightFilter, limit: number): Promise<{ points: Array<[number, number, number]>; total: number }> {
    const p = new SqlParams();
    const rows = await this.#rows(
      `SELECT id, lat, lon, count(*) OVER () AS total FROM (
         SELECT f.id, f.start_time, ${TAKEOFF_LAT_SQL} AS lat, ${TAKEOFF_LON_SQL} AS lon FROM flights f WHERE ${flightWhereSql(filter, p)}
       )
       WHERE ${validPositionSql('lat', 'lon')}
       ORDER BY start_time DESC, id DESC
       LIMIT ${p.add(limit)}`,
      p,
    );
    const total = num(rows[0]?.total) ?? 0;
    return { points: rows.map((r) => [num(r.id) ?? 0, num(r.lat) ?? 0, num(r.lon) ?? 0]), total };
  }

  /** The `n` flights with the highest value of a metric (ties: earlier first). */
  async top(filter: FlightFilter, metric: TopMetric, n: number): Promise<TopFlight[]> {
    const p = new SqlParams();
    const v = finite(TOP_COLUMN[metric]);
    const rows = await this.#rows(
      `SELECT f.id, ${DISPLAY_NAME_SQL} AS name, f.start_time, f.local_time_zone, ${v} AS v
       FROM flights f WHERE ${flightWhereSql(filter, p)} AND ${v} IS NOT NULL
       ORDER BY v DESC, f.start_time, f.id LIMIT ${p.add(n)}`,
      p,
    );
    return rows.map((r) => ({
      id: num(r.id) ?? 0,
      name: String(r.name),
      startTime: iso(r.start_time) ?? '',
      localTimeZone: typeof r.local_time_zone === 'string' ? r.local_time_zone : null,
      value: num(r.v) ?? 0,
    }));
  }
}
