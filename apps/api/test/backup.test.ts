import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlightDetail } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { count, filesUnder, multipart, readRealLog, realLogsDir, sql, upload, uploadOne, type UploadFile } from './imports-helpers.js';
import { seedFlight } from './seed.js';
import {
  downloadBackup,
  manifestOf,
  queryParquet,
  repack,
  restore,
  sha256,
  tableDigests,
  tables,
  telemetryByFileHash,
  unpack,
} from './backup-helpers.js';

/** Small real logs of different aircraft and log versions (fixtures are required under CI=true). */
const REAL = ['chrisvm_mavic2_12.txt', 'mikeemoo_DJIFlightRecord_2015-12-29_[19-05-48].txt', 'vtolabs-droner_df048_MavicAir_DJIFlightRecord_2018-04-19_[11-39-45].txt'];

function synthetic(n: number, start: string): UploadFile {
  return { name: `synthetic-${n}.txt`, bytes: writeDjiLog(demoFlight({ seed: `backup-${n}`, durationS: 40, startTime: start }), { version: 10 }).bytes };
}

const dir = realLogsDir();

/** The drill makes more backup requests a minute than the production rate limit (RATE_LIMIT_BACKUP) allows. */
const testApp = (env: Record<string, string> = {}) => buildTestApp({ RATE_LIMIT_BACKUP: '0', ...env });

describe('backup and restore drill', () => {
  let source: TestApp;
  let logs: UploadFile[];
  let archive: Buffer;
  let edited: FlightDetail;
  let editedSha: string;
  let flightIds: number[];
  const scratch: string[] = [];

  beforeAll(async () => {
    // Without the fixtures (a loud warning; under CI=true realLogsDir throws) the drill runs on synthetic logs only.
    logs = [
      ...(dir ? await Promise.all(REAL.map((f) => readRealLog(dir, f))) : [11, 12, 13].map((n) => synthetic(n, `2023-0${n - 10}-01T12:00:00Z`))),
      synthetic(1, '2024-03-01T08:00:00Z'),
      synthetic(2, '2024-03-02T09:00:00Z'),
    ];
    source = await testApp({ PARSE_CONCURRENCY: '2' });
    const { res, results } = await upload(source.app, logs);
    expect(res.statusCode, res.body).toBe(200);
    expect(results.map((r) => r.status)).toEqual(logs.map(() => 'imported'));
    flightIds = results.map((r) => r.flightId!);
    // A pilot's edits, a cached keychain and a setting: all must survive.
    const id = results[1]!.flightId!;
    editedSha = results[1]!.sha256;
    const patched = await source.app.inject({
      method: 'PATCH',
      url: `/api/v1/flights/${id}`,
      payload: { name: 'Evening "lake" run', notes: 'Wind 5 m/s.\nO\'Neill\'s field', tags: ['lake', 'windy'] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    edited = patched.json();
    await source.app.db.transaction(async (conn) => {
      await conn.run(`INSERT INTO keychains (request_hash, request, keychains) VALUES ('k1', '{"a":1}', '[[1,2]]')`);
      await conn.run(`INSERT INTO settings (key, value) VALUES ('units', '"metric"')`);
    });
    archive = (await downloadBackup(source.app)).bytes;
  });

  afterAll(async () => {
    await source?.close();
    await Promise.all(scratch.map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  async function tmp(): Promise<string> {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-backup-test-'));
    scratch.push(d);
    return d;
  }

  it('streams a tar.gz: manifest first, one parquet file per table with its row count and SHA-256', async () => {
    const res = await source.app.inject({ method: 'GET', url: '/api/v1/backup' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dronelog-backup-\d{8}T\d{6}Z\.tar\.gz"$/);
    const entries = await unpack(res.rawPayload);
    expect(entries[0]!.name).toBe('manifest.json');
    const m = manifestOf(entries);
    expect(m).toMatchObject({ format: 'dronelog-backup', formatVersion: 1, appVersion: expect.any(String), originals: { included: false, files: [] } });
    expect(m.schemaVersion).toBe(await source.app.db.schemaVersion());
    expect(Date.now() - Date.parse(m.createdAt)).toBeLessThan(60_000);
    expect(m.tables.map((t) => t.name).sort()).toEqual(await tables(source.app));
    for (const t of m.tables) {
      const file = entries.find((e) => e.name === t.file)!;
      expect(sha256(file.data)).toBe(t.sha256);
      expect(file.data.length).toBe(t.bytes);
      const { n } = (await sql<{ n: bigint }>(source.app, `SELECT count(*) AS n FROM "${t.name}"`))[0]!;
      expect(t.rows, t.name).toBe(Number(n));
    }
    expect(m.tables.find((t) => t.name === 'flights')!.rows).toBe(logs.length);
    expect(entries.map((e) => e.name).filter((n) => n.startsWith('originals/'))).toEqual([]);
    expect(await filesUnder(source.config.backupTmpDir)).toEqual([]);
  });

  it('replace-restores into a fresh instance: every row of every table identical, edits kept, ids continue', async () => {
    const target = await testApp();
    try {
      const res = await restore(target.app, archive, 'replace');
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report).toMatchObject({ mode: 'replace', archiveSchemaVersion: await source.app.db.schemaVersion() });
      expect(report.tables).toContainEqual({ table: 'flights', before: 0, restored: logs.length });

      // Originals were not in the archive, so the restored ledger stops claiming them (checked below).
      const withoutOriginals = { imports: ['original_path'] };
      expect(await tableDigests(target.app, withoutOriginals)).toEqual(await tableDigests(source.app, withoutOriginals));
      const again = (await target.app.inject({ method: 'GET', url: `/api/v1/flights/${edited.id}` })).json() as FlightDetail;
      expect(again).toEqual(edited);

      // The sequence continues after the restored ids: a new log gets a new, larger id; a restored one is a duplicate.
      const { maxId } = (await sql<{ maxId: bigint }>(target.app, 'SELECT max(id) AS maxId FROM flights'))[0]!;
      const fresh = await uploadOne(target.app, synthetic(9, '2024-04-01T07:00:00Z'));
      expect(fresh.status).toBe('imported');
      expect(fresh.flightId!).toBeGreaterThan(Number(maxId));
      const { maxImport } = (await sql<{ maxImport: bigint }>(source.app, 'SELECT max(id) AS maxImport FROM imports'))[0]!;
      expect(fresh.importId).toBeGreaterThan(Number(maxImport));
      expect((await uploadOne(target.app, logs[0]!)).status).toBe('duplicate');
      expect(await count(target.app, 'imports', `original_path IS NOT NULL AND id <= ${Number(maxImport)}`)).toBe(0);
      expect(await filesUnder(target.config.backupTmpDir)).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('puts the kept originals into the archive with ?originals=true and restores them (sent as multipart) into the store', async () => {
    const { bytes } = await downloadBackup(source.app, '?originals=true');
    const entries = await unpack(bytes);
    const m = manifestOf(entries);
    expect(m.originals.included).toBe(true);
    expect(m.originals.files).toHaveLength(logs.length);
    for (const f of m.originals.files) expect(sha256(entries.find((e) => e.name === f.file)!.data)).toBe(path.basename(f.file));

    const target = await testApp();
    try {
      // As a browser form sends it: the archive as the one file of a multipart body.
      const form = await multipart([{ name: 'dronelog-backup.tar.gz', bytes: new Uint8Array(bytes) }]);
      const res = await target.app.inject({ method: 'POST', url: '/api/v1/backup/restore?mode=replace', ...form });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().originals).toEqual({ restored: logs.length, alreadyPresent: 0, rejected: 0 });
      expect(await tableDigests(target.app)).toEqual(await tableDigests(source.app));
      expect((await filesUnder(target.config.originalsDir)).length).toBe(logs.length);
    } finally {
      await target.close();
    }
  });

  it('merge-restores into an instance that has some of the flights: only the missing ones are added', async () => {
    const target = await testApp();
    try {
      // An instance with some of the flights: the archive restored, three flights deleted, one flight of its own,
      // a local edit, a different setting and no cached keychain.
      expect((await restore(target.app, archive, 'replace')).statusCode).toBe(200);
      const removed = [flightIds[0]!, edited.id, flightIds[4]!];
      for (const id of removed) expect((await target.app.inject({ method: 'DELETE', url: `/api/v1/flights/${id}` })).statusCode).toBeLessThan(300);
      const own = await seedFlight(target.app.db, {
        flight: { file_hash: 'own-flight', aircraft_serial: 'OWN1', start_time: '2025-01-01T10:00:00Z', name: 'own' },
        telemetry: { t_ms: [0, 100], latitude: [1, 2] },
      });
      const kept = flightIds[2]!;
      await target.app.inject({ method: 'PATCH', url: `/api/v1/flights/${kept}`, payload: { name: 'local name' } });
      await target.app.db.transaction(async (conn) => {
        await conn.run(`UPDATE settings SET value = '"imperial"' WHERE key = 'units'`);
        await conn.run('DELETE FROM keychains');
      });

      const res = await restore(target.app, archive, 'merge');
      expect(res.statusCode, res.body).toBe(200);
      const byTable = Object.fromEntries((res.json().tables as Array<{ table: string }>).map((t) => [t.table, t]));
      expect(byTable.flights).toMatchObject({ added: 3, skipped: logs.length - 3 });
      expect(byTable.keychains).toMatchObject({ added: 1, skipped: 0 });
      expect(byTable.settings).toMatchObject({ added: 0, skipped: 1 });
      expect(byTable.imports).toMatchObject({ added: 0 });

      expect(await count(target.app, 'flights')).toBe(logs.length + 1);
      const dupes = (await sql<{ n: bigint }>(target.app, 'SELECT count(*) - count(DISTINCT file_hash) AS n FROM flights'))[0]!;
      expect(Number(dupes.n)).toBe(0);
      // The re-added flights got new ids, past every id the instance ever gave out.
      const readded = await sql<{ id: bigint }>(target.app, `SELECT id FROM flights WHERE id NOT IN (${[...flightIds, own].join(', ')})`);
      expect(readded).toHaveLength(3);
      for (const r of readded) expect(Number(r.id)).toBeGreaterThan(own);
      // Telemetry of every flight is identical to the source (ids differ, so compared by file hash); no orphans.
      const want = await telemetryByFileHash(source.app);
      const got = await telemetryByFileHash(target.app);
      for (const [hash, digest] of Object.entries(want)) expect(got[hash], hash).toBe(digest);
      const orphans = (await sql<{ n: bigint }>(target.app, 'SELECT count(*) AS n FROM telemetry WHERE flight_id NOT IN (SELECT id FROM flights)'))[0]!;
      expect(Number(orphans.n)).toBe(0);
      // The re-added edited flight brought its name, notes and tags back; the local edit and setting won.
      const merged = (await sql<{ id: bigint }>(target.app, 'SELECT id FROM flights WHERE file_hash = $1', [editedSha]))[0]!;
      const detail = (await target.app.inject({ method: 'GET', url: `/api/v1/flights/${merged.id}` })).json() as FlightDetail;
      expect(detail).toMatchObject({ name: edited.name, notes: edited.notes, tags: edited.tags });
      expect(((await target.app.inject({ method: 'GET', url: `/api/v1/flights/${kept}` })).json() as FlightDetail).name).toBe('local name');
      const units = (await sql<{ value: string }>(target.app, `SELECT value FROM settings WHERE key = 'units'`))[0]!;
      expect(units.value).toBe('"imperial"');

      // Merging the same archive again adds nothing.
      const twice = await restore(target.app, archive, 'merge');
      expect(twice.json().tables.find((t: { table: string }) => t.table === 'flights')).toMatchObject({ added: 0, skipped: logs.length });
      expect(await count(target.app, 'flights')).toBe(logs.length + 1);
    } finally {
      await target.close();
    }
  });

  describe('refuses a bad archive with 400 and leaves the data untouched', () => {
    let target: TestApp;
    let before: Record<string, string>;
    let entries: Array<{ name: string; data: Buffer }>;

    beforeAll(async () => {
      target = await testApp({ MAX_RESTORE_MB: '2' });
      expect((await restore(target.app, archive, 'replace')).statusCode).toBe(200);
      before = await tableDigests(target.app);
      entries = await unpack(archive);
    });
    afterAll(async () => target?.close());

    async function refused(bytes: Buffer, status: number, message: RegExp, mode: 'replace' | 'merge' = 'replace', type?: string) {
      const res = await restore(target.app, bytes, mode, type);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().message).toMatch(message);
      expect(await tableDigests(target.app)).toEqual(before);
      expect(await filesUnder(target.config.backupTmpDir)).toEqual([]);
    }

    const doctored = (change: (m: Record<string, unknown>) => void) => async () => {
      const m = manifestOf(entries) as unknown as Record<string, unknown>;
      change(m);
      return repack(
        path.join(await tmp(), 'repack'),
        entries.map((e) => (e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(m)) } : e)),
      );
    };

    it('a truncated archive', async () => {
      await refused(archive.subarray(0, Math.floor(archive.length / 2)), 400, /damaged|cut short/);
    });

    it('random bytes and a JSON body', async () => {
      await refused(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 400, /damaged or not gzip/);
      await refused(Buffer.from('{"flights":[]}'), 400, /application\/gzip/, 'replace', 'application/json');
    });

    it('a manifest that does not match the files (SHA-256, row counts, missing files, unknown entries)', async () => {
      await refused(await doctored((m) => ((m.tables as Array<{ sha256: string }>)[0]!.sha256 = '0'.repeat(64)))(), 400, /does not match its SHA-256/);
      await refused(
        await doctored((m) => {
          const f = (m.tables as Array<{ name: string; rows: number }>).find((t) => t.name === 'flights')!;
          f.rows += 1;
        })(),
        400,
        /holds \d+ rows; the manifest says/,
      );
      await refused(await doctored((m) => ((m.tables as unknown[]).length = 1))(), 400, /does not list|lacks the table/);
      await refused(await doctored((m) => delete m.schemaVersion)(), 400, /manifest\.json is not valid/);
      await refused(
        await repack(path.join(await tmp(), 'extra'), [...entries, { name: '../../etc/passwd', data: Buffer.from('x') }]),
        400,
        /not a safe name/,
      );
      await refused(await repack(path.join(await tmp(), 'nomanifest'), entries.filter((e) => e.name !== 'manifest.json')), 400, /not describe a Dronelog backup/);
    });

    it('an archive made by a newer Dronelog', async () => {
      const newer = await doctored((m) => (m.schemaVersion = (m.schemaVersion as number) + 1))();
      await refused(newer, 400, /made by a newer Dronelog/, 'merge');
    });

    it('an archive over MAX_RESTORE_MB (413)', async () => {
      await refused(Buffer.alloc(3 * 1024 * 1024, 1), 413, /MAX_RESTORE_MB/);
    });

    it('a load that fails inside the transaction rolls back everything', async () => {
      // Two flights with the same id: the manifest and hashes are right, the rows are not loadable.
      const flights = entries.find((e) => e.name === 'data/flights.parquet')!;
      const dupDir = await tmp();
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const inFile = path.join(dupDir, 'in.parquet');
      const outFile = path.join(dupDir, 'out.parquet');
      await fs.writeFile(inFile, flights.data);
      await conn.run(`COPY (SELECT * FROM read_parquet('${inFile}') UNION ALL SELECT * FROM read_parquet('${inFile}') LIMIT 2) TO '${outFile}' (FORMAT parquet)`);
      await conn.run(`COPY (SELECT * REPLACE (1::BIGINT AS id, md5(file_hash || random()::VARCHAR) AS file_hash) FROM read_parquet('${outFile}')) TO '${inFile}' (FORMAT parquet)`);
      conn.closeSync();
      db.closeSync();
      const data = await fs.readFile(inFile);
      const m = manifestOf(entries);
      const t = m.tables.find((x) => x.name === 'flights')!;
      Object.assign(t, { rows: 2, bytes: data.length, sha256: sha256(data) });
      const bytes = await repack(
        path.join(dupDir, 'repack'),
        entries.map((e) =>
          e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(m)) } : e.name === 'data/flights.parquet' ? { name: e.name, data } : e,
        ),
      );
      await refused(bytes, 400, /could not be loaded.*Nothing was changed/s);
    });
  });

  it('a backup taken while an import runs is consistent, and neither fails', async () => {
    const [backup, imported] = await Promise.all([
      downloadBackup(source.app),
      uploadOne(source.app, synthetic(5, '2024-07-07T07:00:00Z')),
    ]);
    expect(imported.status).toBe('imported');
    const entries = await unpack(backup.bytes);
    const m = manifestOf(entries);
    const [check] = await queryParquet<{ flights: bigint; telemetryFlights: bigint; orphans: bigint; missing: bigint }>(
      path.join(await tmp(), 'concurrent'),
      entries,
      (f) => `SELECT (SELECT count(*) FROM ${f('flights')}) AS flights,
        (SELECT count(DISTINCT flight_id) FROM ${f('telemetry')}) AS telemetryFlights,
        (SELECT count(*) FROM ${f('telemetry')} WHERE flight_id NOT IN (SELECT id FROM ${f('flights')})) AS orphans,
        (SELECT count(*) FROM ${f('flights')} WHERE id NOT IN (SELECT flight_id FROM ${f('telemetry')})) AS missing`,
    );
    expect(Number(check!.flights)).toBe(m.tables.find((t) => t.name === 'flights')!.rows);
    expect([logs.length, logs.length + 1]).toContain(Number(check!.flights));
    expect(Number(check!.orphans)).toBe(0);
    expect(Number(check!.missing)).toBe(0);
  });

  it('removes its temp files when the client goes away mid-download', async () => {
    // A real socket on loopback, closed by the client after the first bytes; source.close() stops the listener.
    const address = new URL(await source.app.listen({ host: '127.0.0.1', port: 0 }));
    const firstBytes = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: address.hostname, port: address.port, path: '/api/v1/backup?originals=true' }, (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.length);
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    });
    expect(firstBytes).toBeGreaterThan(0);
    const deadline = Date.now() + 5_000;
    while ((await filesUnder(source.config.backupTmpDir)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await filesUnder(source.config.backupTmpDir)).toEqual([]);
    // And the app still serves, backups included.
    expect((await downloadBackup(source.app)).bytes.length).toBeGreaterThan(0);
  });
});
