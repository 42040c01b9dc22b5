import type { Database } from '../db/database.js';

/** Cheap reads for metrics scraped every few seconds. */
export class MetricsRepository {
  constructor(private readonly db: Database) {}

  /** Flights in the logbook (DuckDB answers count(*) from row-group metadata, without scanning). */
  async countFlights(): Promise<number> {
    const r = await this.db.reader.runAndReadAll('SELECT count(*) AS n FROM flights');
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }

  /** DuckDB's own memory by tag (buffer pool, ART indexes, …), the part of the process RSS V8 does not see. */
  async duckdbMemory(): Promise<{ tag: string; bytes: number }[]> {
    const r = await this.db.reader.runAndReadAll('SELECT tag, memory_usage_bytes AS b FROM duckdb_memory() WHERE memory_usage_bytes > 0');
    return r.getRowObjectsJS().map((row) => ({ tag: String(row.tag).toLowerCase(), bytes: Number(row.b) }));
  }
}
