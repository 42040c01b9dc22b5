import type { Migration } from './migrations.js';

/**
 * Migrations of the `control` schema: what spans profiles (the profile list, password hashes, sessions, lockout
 * counters). Profile data lives in one schema per profile, migrated with `migrations.ts`.
 */
export const controlMigrations: Migration[] = [
  {
    version: 1,
    name: 'profiles, sessions, auth failures',
    sql: `
CREATE SEQUENCE profile_id_seq START 1;
CREATE TABLE profiles (
  name VARCHAR PRIMARY KEY,
  -- lower(name): names are unique regardless of case (they also name sync and originals folders).
  name_key VARCHAR NOT NULL UNIQUE,
  schema_name VARCHAR NOT NULL UNIQUE,
  password_hash VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  password_changed_at TIMESTAMPTZ
);
INSERT INTO profiles (name, name_key, schema_name) VALUES ('default', 'default', 'main');
CREATE TABLE sessions (
  -- sha256 of the cookie's token: a copy of the database never yields a usable session.
  token_hash VARCHAR PRIMARY KEY,
  profile VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  user_agent VARCHAR
);
CREATE TABLE auth_failures (
  -- 'profile:<name key>' or 'master'
  subject VARCHAR PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  last_failure_at TIMESTAMPTZ
);
`,
  },
];
