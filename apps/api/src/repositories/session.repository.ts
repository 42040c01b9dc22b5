import type { Database } from '../db/database.js';
import { iso } from './flight.repository.js';

export interface SessionRow {
  profile: string;
  createdAt: string;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** `control.sessions`: server-side sessions (by token hash), so a restart logs nobody out. */
export class SessionRepository {
  readonly #db: Database;

  /** `db` is the view of the `control` schema. */
  constructor(db: Database) {
    this.#db = db;
  }

  async insert(tokenHash: string, profile: string, expiresAt: Date, userAgent: string | null): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run(
        'INSERT INTO sessions (token_hash, profile, expires_at, user_agent) VALUES ($1, $2, $3::TIMESTAMPTZ, $4)',
        [tokenHash, profile, expiresAt.toISOString(), userAgent],
      );
    });
  }

  /** The live session of this token hash (not expired), or null. */
  async find(tokenHash: string): Promise<SessionRow | null> {
    const r = await this.#db.reader.runAndReadAll(
      'SELECT profile, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > now()',
      [tokenHash],
    );
    const row = r.getRowObjectsJS()[0];
    if (!row) return null;
    return {
      profile: String(row.profile),
      createdAt: iso(row.created_at)!,
      lastSeenAt: new Date(iso(row.last_seen_at)!),
      expiresAt: new Date(iso(row.expires_at)!),
    };
  }

  async touch(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run('UPDATE sessions SET last_seen_at = now(), expires_at = $2::TIMESTAMPTZ WHERE token_hash = $1', [tokenHash, expiresAt.toISOString()]);
    });
  }

  async delete(tokenHash: string): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    });
  }

  async deleteExpired(): Promise<number> {
    return this.#db.transaction(async (conn) => {
      const r = await conn.runAndReadAll('DELETE FROM sessions WHERE expires_at <= now() RETURNING token_hash');
      return r.currentRowCount;
    });
  }
}
