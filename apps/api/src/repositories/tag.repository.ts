import type { DuckDBConnection } from '@duckdb/node-api';
import type { FlightTag, TagCount, TagKind } from '@dronelog/contracts';
import type { Database } from '../db/database.js';

/**
 * `flight_tags`: manual tags (set by the pilot) and auto tags (written by the importer, kind 'auto').
 * Anything not 'auto' is treated as manual.
 */

const kindOf = (k: unknown): TagKind => (k === 'auto' ? 'auto' : 'manual');

export class TagRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Tags of each given flight: auto tags first, then manual, each alphabetically. */
  async forFlights(ids: readonly number[]): Promise<Map<number, FlightTag[]>> {
    const byFlight = new Map<number, FlightTag[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byFlight;
    const placeholders = ids.map((_, i) => `$${i + 1}`).join(', ');
    const r = await this.#db.reader.runAndReadAll(
      `SELECT flight_id, tag, kind FROM flight_tags WHERE flight_id IN (${placeholders})
       ORDER BY flight_id, kind = 'auto' DESC, lower(tag), tag`,
      [...ids],
    );
    for (const row of r.getRowObjectsJS()) {
      byFlight.get(Number(row.flight_id))?.push({ name: String(row.tag), kind: kindOf(row.kind) });
    }
    return byFlight;
  }

  /** Distinct tags with the number of flights carrying them, most used first. */
  async counts(): Promise<TagCount[]> {
    const r = await this.#db.reader.runAndReadAll(`
      SELECT tag, count(DISTINCT flight_id) AS n, list(DISTINCT CASE WHEN kind = 'auto' THEN 'auto' ELSE 'manual' END) AS kinds
      FROM flight_tags
      GROUP BY tag
      ORDER BY n DESC, lower(tag), tag`);
    return r.getRowObjectsJS().map((row) => ({
      name: String(row.tag),
      count: Number(row.n),
      kinds: (Array.isArray(row.kinds) ? row.kinds.map(kindOf) : []).sort(),
    }));
  }
}

/**
 * Makes `tags` the exact set of manual tags of a flight, inside the caller's transaction.
 * Only the difference is written (no delete + re-insert of an unchanged key). A tag that already
 * exists as an auto tag (case-insensitively) is not duplicated as a manual one.
 */
export async function replaceManualTags(conn: DuckDBConnection, flightId: number, tags: readonly string[]): Promise<void> {
  const current = (await conn.runAndReadAll('SELECT tag, kind FROM flight_tags WHERE flight_id = $1', [flightId])).getRowObjectsJS();
  const manual = new Set(current.filter((r) => kindOf(r.kind) === 'manual').map((r) => String(r.tag)));
  const auto = new Set(current.filter((r) => kindOf(r.kind) === 'auto').map((r) => String(r.tag).toLowerCase()));
  const wanted = tags.filter((t) => !auto.has(t.toLowerCase()));
  const wantedSet = new Set(wanted);
  for (const tag of manual) {
    if (!wantedSet.has(tag)) {
      await conn.run(`DELETE FROM flight_tags WHERE flight_id = $1 AND tag = $2 AND kind <> 'auto'`, [flightId, tag]);
    }
  }
  for (const tag of wanted) {
    if (!manual.has(tag)) {
      await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, 'manual')`, [flightId, tag]);
    }
  }
}
