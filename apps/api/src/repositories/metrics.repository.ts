import type { Database } from '../db/database.js';

/** Cheap reads for metrics scraped every few seconds. */
export class MetricsRepository {
  constructor(private readonly db: Database) {}

  /** Flights in the logbook (DuckDB answers count(*) from row-group metadata, without scanning). */
  async countFlights(): Promise<number> {
    const r = await this.db.reader.runAndReadAll('SELECT count(*) AS n FROM flights');
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }
}
