import type { Database } from '../db/database.js';
import { iso } from './flight.repository.js';

export interface ProfileRow {
  name: string;
  schemaName: string;
  passwordHash: string | null;
  createdAt: string;
}

export interface AuthFailureRow {
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
}

/** `control.profiles` and `control.auth_failures`: the profile list, password hashes and lockout counters. */
export class ProfileRepository {
  readonly #db: Database;

  /** `db` is the view of the `control` schema. */
  constructor(db: Database) {
    this.#db = db;
  }

  async list(): Promise<ProfileRow[]> {
    const r = await this.#db.reader.runAndReadAll(
      `SELECT name, schema_name, password_hash, created_at FROM profiles ORDER BY name_key = 'default' DESC, name_key`,
    );
    return r.getRowObjectsJS().map(toProfile);
  }

  /** By name, regardless of case. */
  async find(name: string): Promise<ProfileRow | null> {
    const r = await this.#db.reader.runAndReadAll(
      'SELECT name, schema_name, password_hash, created_at FROM profiles WHERE name_key = lower($1)',
      [name],
    );
    const row = r.getRowObjectsJS()[0];
    return row ? toProfile(row) : null;
  }

  /** Adds a profile with a fresh schema name `p_<n>`; null when the name (in any case) is taken. */
  async create(name: string, passwordHash: string | null): Promise<ProfileRow | null> {
    return this.#db.transaction(async (conn) => {
      const taken = await conn.runAndReadAll('SELECT 1 FROM profiles WHERE name_key = lower($1)', [name]);
      if (taken.currentRowCount > 0) return null;
      const r = await conn.runAndReadAll(
        `INSERT INTO profiles (name, name_key, schema_name, password_hash, password_changed_at)
         VALUES ($1, lower($1), 'p_' || nextval('profile_id_seq'), $2, CASE WHEN $2 IS NULL THEN NULL ELSE now() END)
         RETURNING name, schema_name, password_hash, created_at`,
        [name, passwordHash],
      );
      return toProfile(r.getRowObjectsJS()[0]!);
    });
  }

  /** Removes the profile, its sessions and its failure counter in one transaction. */
  async delete(name: string): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run('DELETE FROM sessions WHERE lower(profile) = lower($1)', [name]);
      await conn.run('DELETE FROM auth_failures WHERE subject = $1', [failureSubject(name)]);
      await conn.run('DELETE FROM profiles WHERE name_key = lower($1)', [name]);
    });
  }

  /** Sets (or with null removes) the password; every session of the profile but `keepTokenHash` ends. */
  async setPassword(name: string, passwordHash: string | null, keepTokenHash: string | null): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run('UPDATE profiles SET password_hash = $2, password_changed_at = now() WHERE name_key = lower($1)', [name, passwordHash]);
      await conn.run('DELETE FROM sessions WHERE lower(profile) = lower($1) AND token_hash IS DISTINCT FROM $2', [name, keepTokenHash]);
    });
  }

  /** Sets the password only if the profile has none (DEFAULT_PROFILE_PASSWORD never overwrites). True if set. */
  async initialisePassword(name: string, passwordHash: string): Promise<boolean> {
    return this.#db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `UPDATE profiles SET password_hash = $2, password_changed_at = now()
         WHERE name_key = lower($1) AND password_hash IS NULL RETURNING name`,
        [name, passwordHash],
      );
      return r.currentRowCount > 0;
    });
  }

  async failures(subject: string): Promise<AuthFailureRow> {
    const r = await this.#db.reader.runAndReadAll('SELECT failures, lockouts, locked_until FROM auth_failures WHERE subject = $1', [subject]);
    const row = r.getRowObjectsJS()[0];
    if (!row) return { failures: 0, lockouts: 0, lockedUntil: null };
    return {
      failures: Number(row.failures),
      lockouts: Number(row.lockouts),
      lockedUntil: row.locked_until ? new Date(iso(row.locked_until)!) : null,
    };
  }

  async saveFailures(subject: string, f: AuthFailureRow): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run(
        `INSERT INTO auth_failures (subject, failures, lockouts, locked_until, last_failure_at) VALUES ($1, $2, $3, $4::TIMESTAMPTZ, now())
         ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures, lockouts = excluded.lockouts,
           locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`,
        [subject, f.failures, f.lockouts, f.lockedUntil ? f.lockedUntil.toISOString() : null],
      );
    });
  }

  async clearFailures(subject: string): Promise<void> {
    await this.#db.transaction(async (conn) => {
      await conn.run('DELETE FROM auth_failures WHERE subject = $1', [subject]);
    });
  }
}

export function failureSubject(profileName: string): string {
  return `profile:${profileName.toLowerCase()}`;
}

function toProfile(row: Record<string, unknown>): ProfileRow {
  return {
    name: String(row.name),
    schemaName: String(row.schema_name),
    passwordHash: row.password_hash === null || row.password_hash === undefined ? null : String(row.password_hash),
    createdAt: iso(row.created_at)!,
  };
}
