import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlightDetail } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { migrations } from '../src/db/migrations.js';
import { packArchive } from '../src/services/backup-archive.js';
import type { BackupManifest } from '../src/services/backup-manifest.js';
import { restore, sha256 } from './backup-helpers.js';
import { buildTestApp, type TestApp } from './helper.js';
import { count, sql, uploadOne } from './imports-helpers.js';

/**
 * An archive taken at schema 1 (made here the way a schema-1 Dronelog would have: its migrations, its tables, one
 * parquet file each) restores into the current schema: the data is migrated before loading.
 */
async function schemaOneArchive(dir: string, opts: { dropTable?: string } = {}): Promise<Buffer> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const m of migrations.filter((m) => m.version <= 1)) await conn.run(m.sql);
    await conn.run(`INSERT INTO flights (file_hash, file_name, source_format, start_time, aircraft_serial, battery_serial, name, notes, duration_s, distance_m, home_lat, home_lon)
      VALUES ('old-hash-1', 'old.txt', 'dji-txt', '2019-05-01T09:00:00Z', 'OLDSERIAL', 'OLDBATT', 'Old flight', 'from 2019', 120, 850, 47.1, 8.1)`);
    await conn.run(`INSERT INTO telemetry (flight_id, t_ms, latitude, longitude, height_m) VALUES (1, 0, 47.1, 8.1, 0), (1, 100, 47.1001, 8.1001, 1.5), (1, 200, 47.1002, 8.1002, 3)`);
    await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES (1, 'old', 'manual')`);
    await conn.run(`INSERT INTO imports (file_hash, file_name, file_size, source, status, flight_id) VALUES ('old-hash-1', 'old.txt', 1000, 'upload', 'imported', 1)`);
    await conn.run(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`);
    const tables = (await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1`)).getRowObjectsJS().map((r) => String(r.table_name));
    const files = [];
    const manifestTables: BackupManifest['tables'] = [];
    for (const t of tables.filter((t) => t !== opts.dropTable)) {
      const file = path.join(dir, `${t}.parquet`);
      const rows = Number((await conn.runAndReadAll(`COPY (SELECT * FROM ${t}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`)).getRowsJS()[0]![0]);
      const data = await fs.readFile(file);
      manifestTables.push({ name: t, file: `data/${t}.parquet`, rows, bytes: data.length, sha256: sha256(data) });
      files.push({ name: `data/${t}.parquet`, path: file, size: data.length });
    }
    const manifest: BackupManifest = {
      format: 'dronelog-backup',
      formatVersion: 1,
      appVersion: '0.0.1',
      schemaVersion: 1,
      createdAt: '2019-06-01T00:00:00.000Z',
      tables: manifestTables,
      // Ids up to 5 were handed out once (flights 2–5 deleted since): they must never come back.
      sequences: [{ name: 'flight_id_seq', lastValue: 5 }, { name: 'import_id_seq', lastValue: 1 }],
      originals: { included: false, files: [], missing: 0 },
    };
    const chunks: Buffer[] = [];
    for await (const c of packArchive(Buffer.from(JSON.stringify(manifest)), files)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('restoring a backup of an older schema', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-old-backup-'));
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0' });
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('migrates schema-1 data to the current schema, then replaces the logbook with it', async () => {
    const res = await restore(t.app, await schemaOneArchive(await fs.mkdtemp(path.join(dir, 'a-'))), 'replace');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ archiveSchemaVersion: 1, schemaVersion: migrations.at(-1)!.version });
    expect(await count(t.app, 'flights')).toBe(1);
    expect(await count(t.app, 'telemetry')).toBe(3);
    const flight = (await t.app.inject({ method: 'GET', url: '/api/v1/flights/1' })).json() as FlightDetail;
    expect(flight).toMatchObject({ id: 1, name: 'Old flight', notes: 'from 2019', tags: [{ name: 'old', kind: 'manual' }] });
    // Columns added by later migrations exist, with their defaults.
    const [ledger] = await sql<{ reason_code: string | null; status: string }>(t.app, 'SELECT reason_code, status FROM imports');
    expect(ledger).toEqual({ reason_code: null, status: 'imported' });
    // Values later versions fill in code at start-up are filled after the restore too (local take-off time).
    const [local] = await sql<{ tz: string | null }>(t.app, 'SELECT local_time_zone AS tz FROM flights WHERE id = 1');
    expect(local!.tz).toBe('Europe/Zurich');
    // The next flight id comes after every id the old instance handed out.
    const fresh = await uploadOne(t.app, { name: 'new.txt', bytes: writeDjiLog(demoFlight({ seed: 'after-old', durationS: 30, startTime: '2024-08-01T08:00:00Z' }), { version: 10 }).bytes });
    expect(fresh.status).toBe('imported');
    expect(fresh.flightId).toBe(6);
    expect(fresh.importId).toBe(2);
  });

  it('merges schema-1 data: adds the flight only once', async () => {
    const archive = await schemaOneArchive(await fs.mkdtemp(path.join(dir, 'b-')));
    const res = await restore(t.app, archive, 'merge');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().tables.find((r: { table: string }) => r.table === 'flights')).toMatchObject({ added: 0, skipped: 1 });
    expect(await count(t.app, 'flights')).toBe(2);
  });

  it('refuses a schema-1 archive that lacks a table of that schema, changing nothing', async () => {
    const res = await restore(t.app, await schemaOneArchive(await fs.mkdtemp(path.join(dir, 'c-')), { dropTable: 'settings' }), 'replace');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/A schema 1 backup has the tables .*settings/);
    expect(await count(t.app, 'flights')).toBe(2);
  });
});
