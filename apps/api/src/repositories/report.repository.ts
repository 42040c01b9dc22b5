import type { Database } from '../db/database.js';
import { SqlParams, flightWhereSql, iso, num, type FlightFilter } from './flight.repository.js';
import { finite } from './analytics-sql.repository.js';

/** Totals behind the logbook report and the totals card, from the flights table. */

export interface WindowTotal {
  flights: number;
  durationS: number;
  distanceM: number;
}

export interface RangeTotals extends WindowTotal {
  maxHeightM: number | null;
  maxDistanceFromHomeM: number | null;
  firstFlightAt: string | null;
  lastFlightAt: string | null;
}

export class ReportRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Totals of the filtered flights, and of those that started in each window [start, end] (ISO instants). */
  async totals(filter: FlightFilter, windows: ReadonlyArray<{ start: string; end: string }> = []): Promise<{ all: RangeTotals; windows: WindowTotal[] }> {
    const p = new SqlParams();
    const d = finite('f.duration_s');
    const m = finite('f.distance_m');
    const windowCols = windows.map((w, i) => {
      const cond = `f.start_time >= ${p.add(w.start)}::TIMESTAMPTZ AND f.start_time <= ${p.add(w.end)}::TIMESTAMPTZ`;
      return `count(*) FILTER (WHERE ${cond}) AS w${i}_n, coalesce(sum(${d}) FILTER (WHERE ${cond}), 0) AS w${i}_d,
              coalesce(sum(${m}) FILTER (WHERE ${cond}), 0) AS w${i}_m`;
    });
    const where = flightWhereSql(filter, p);
    const r =
      (
        await this.#db.reader.runAndReadAll(
          `SELECT count(*) AS n, coalesce(sum(${d}), 0) AS d, coalesce(sum(${m}), 0) AS m,
                  max(${finite('f.max_height_m')}) AS max_h, max(${finite('f.max_distance_from_home_m')}) AS max_dist,
                  min(f.start_time) AS first_at, max(f.start_time) AS last_at
                  ${windowCols.length ? ', ' + windowCols.join(', ') : ''}
           FROM flights f WHERE ${where}`,
          p.values,
        )
      ).getRowObjectsJS()[0] ?? {};
    return {
      all: {
        flights: num(r.n) ?? 0,
        durationS: num(r.d) ?? 0,
        distanceM: num(r.m) ?? 0,
        maxHeightM: num(r.max_h),
        maxDistanceFromHomeM: num(r.max_dist),
        firstFlightAt: iso(r.first_at),
        lastFlightAt: iso(r.last_at),
      },
      windows: windows.map((_, i) => ({ flights: num(r[`w${i}_n`]) ?? 0, durationS: num(r[`w${i}_d`]) ?? 0, distanceM: num(r[`w${i}_m`]) ?? 0 })),
    };
  }
}
