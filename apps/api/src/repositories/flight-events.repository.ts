import type { Database } from '../db/database.js';
import { num } from './flight.repository.js';

/**
 * Raw material of one flight's events timeline, derived in DuckDB from that flight's telemetry (one flight, so
 * scanning its rows is fine): flight-mode changes, the first crossing of battery levels, and the stretches during
 * which a signal was lost. Only the changes cross into Node, never the rows.
 */

export interface ModeChange {
  tMs: number;
  mode: string;
  previous: string | null;
}

/** A stretch of rows in a bad state: from its first row to the first good row after it (null: lasted to the end). */
export interface Segment {
  startMs: number;
  endMs: number | null;
  /** The worst value inside the stretch. */
  worst: number | null;
}

/**
 * A condition over one telemetry value: rows where `value` is NULL are ignored; stretches count only after the first
 * good row (a GPS acquiring satellites before take-off is not a loss).
 */
export interface SegmentSpec {
  value: string;
  bad: string;
  good: string;
}

export const RC_LINK_SPEC: SegmentSpec = {
  // The weaker of the control uplink and the video/telemetry downlink, whichever is recorded.
  value: `least(coalesce(rc_uplink_percent, rc_downlink_percent), coalesce(rc_downlink_percent, rc_uplink_percent))`,
  bad: 'v <= 0',
  good: 'v > 0',
};

export const satellitesSpec = (min: number): SegmentSpec => ({ value: 'satellites', bad: `v < ${min}`, good: `v >= ${min}` });

export class FlightEventsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Each row where the (non-null) flight mode differs from the previous non-null one; the first mode included. */
  async modeChanges(flightId: number): Promise<ModeChange[]> {
    const r = await this.#db.reader.runAndReadAll(
      `SELECT t_ms, flight_mode, prev FROM (
         SELECT t_ms, flight_mode, lag(flight_mode) OVER (ORDER BY t_ms, rowid) AS prev
         FROM telemetry WHERE flight_id = $1 AND flight_mode IS NOT NULL
       )
       WHERE prev IS DISTINCT FROM flight_mode
       ORDER BY t_ms`,
      [flightId],
    );
    return r.getRowsJS().map(([t, mode, prev]) => ({
      tMs: num(t) ?? 0,
      mode: String(mode),
      previous: prev === null || prev === undefined ? null : String(prev),
    }));
  }

  /** The first time the battery read below each level (readings of 0 % — before the first battery record — ignored). */
  async batteryCrossings(flightId: number, levels: readonly number[]): Promise<Array<{ level: number; tMs: number | null; percent: number | null }>> {
    if (levels.length === 0) return [];
    const cols = levels.map(
      (l, i) =>
        `min(t_ms) FILTER (WHERE battery_percent < ${Number(l)}) AS t${i}, ` +
        `arg_min(battery_percent, t_ms) FILTER (WHERE battery_percent < ${Number(l)}) AS p${i}`,
    );
    const r = await this.#db.reader.runAndReadAll(
      `SELECT ${cols.join(', ')} FROM telemetry
       WHERE flight_id = $1 AND isfinite(battery_percent) AND battery_percent > 0`,
      [flightId],
    );
    const row = r.getRowObjectsJS()[0] ?? {};
    return levels.map((level, i) => ({ level, tMs: num(row[`t${i}`]), percent: num(row[`p${i}`]) }));
  }

  /** Stretches in the bad state of `spec` (gaps-and-islands over the flight's rows in time order). */
  async segments(flightId: number, spec: SegmentSpec): Promise<Segment[]> {
    const r = await this.#db.reader.runAndReadAll(
      `WITH s AS (
         SELECT t_ms, rowid AS r, v, (${spec.bad}) AS bad, (${spec.good}) AS good
         FROM (SELECT t_ms, rowid, ${spec.value} AS v FROM telemetry WHERE flight_id = $1)
         WHERE v IS NOT NULL AND isfinite(v)
       ),
       armed AS (
         SELECT *, bool_or(good) OVER (ORDER BY t_ms, r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS seen_good,
                lead(t_ms) OVER (ORDER BY t_ms, r) AS next_t
         FROM s
       ),
       flips AS (
         SELECT *, CASE WHEN bad IS DISTINCT FROM lag(bad) OVER (ORDER BY t_ms, r) THEN 1 ELSE 0 END AS flip
         FROM armed WHERE seen_good
       ),
       grouped AS (SELECT *, sum(flip) OVER (ORDER BY t_ms, r) AS grp FROM flips)
       SELECT min(t_ms) AS start_ms, arg_max_null(next_t, t_ms) AS end_ms, min(v) AS worst
       FROM grouped WHERE bad
       GROUP BY grp ORDER BY start_ms`,
      [flightId],
    );
    return r.getRowsJS().map(([start, end, worst]) => ({ startMs: num(start) ?? 0, endMs: num(end), worst: num(worst) }));
  }
}
