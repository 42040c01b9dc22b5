import type { Database } from '../db/database.js';

/**
 * The `settings` table: one JSON value per key (e.g. `smart_tags`). Values are stored and returned as plain
 * JSON; what a key means and how its value is validated is up to the service that owns the key.
 */
export class SettingsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The stored value, or null when the key was never set (or holds JSON that no longer parses). */
  async get(key: string): Promise<unknown> {
    const r = await this.#db.reader.runAndReadAll('SELECT CAST(value AS VARCHAR) AS value FROM settings WHERE key = $1', [key]);
    const row = r.getRowObjectsJS()[0];
    if (!row || row.value === null || row.value === undefined) return null;
    try {
      return JSON.parse(String(row.value));
    } catch {
      return null;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run(
        `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::JSON, now())
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, JSON.stringify(value)],
      );
    });
  }
}
