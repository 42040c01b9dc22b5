import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import tar from 'tar-stream';
import { packArchive } from '../src/services/backup-archive.js';
import type { BackupManifest } from '../src/services/backup-manifest.js';
import { sql } from './imports-helpers.js';

/** GET /api/v1/backup through inject; the whole archive as bytes. */
export async function downloadBackup(app: FastifyInstance, query = ''): Promise<{ bytes: Buffer; headers: Record<string, unknown> }> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/backup${query}` });
  if (res.statusCode !== 200) throw new Error(`backup answered ${res.statusCode}: ${res.body}`);
  return { bytes: res.rawPayload, headers: res.headers };
}

export type InjectResponse = Awaited<ReturnType<FastifyInstance['inject']>>;

export async function restore(app: FastifyInstance, bytes: Buffer, mode: 'replace' | 'merge', contentType = 'application/gzip'): Promise<InjectResponse> {
  return app.inject({ method: 'POST', url: `/api/v1/backup/restore?mode=${mode}`, payload: bytes, headers: { 'content-type': contentType } });
}

/** The entries of a .tar.gz, in archive order. */
export async function unpack(bytes: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  const extract = tar.extract();
  const out: Array<{ name: string; data: Buffer }> = [];
  const feeding = pipeline(Readable.from([gunzipSync(bytes)]), extract);
  for await (const e of extract) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    out.push({ name: e.header.name, data: Buffer.concat(chunks) });
  }
  await feeding;
  return out;
}

/** Writes entries back into a .tar.gz (manifest first when present), for doctored archives. */
export async function repack(dir: string, entries: Array<{ name: string; data: Buffer }>): Promise<Buffer> {
  await fs.mkdir(dir, { recursive: true });
  const manifest = entries.find((e) => e.name === 'manifest.json');
  const files = [];
  for (const [i, e] of entries.entries()) {
    if (e === manifest) continue;
    const p = path.join(dir, `f${i}`);
    await fs.writeFile(p, e.data);
    files.push({ name: e.name, path: p, size: e.data.length });
  }
  const chunks: Buffer[] = [];
  for await (const c of packArchive(manifest?.data ?? Buffer.from('{}'), files)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function manifestOf(entries: Array<{ name: string; data: Buffer }>): BackupManifest {
  return JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString()) as BackupManifest;
}

/** Tables of the app's schema (migrations table excluded). */
export async function tables(app: FastifyInstance): Promise<string[]> {
  const rows = await sql<{ t: string }>(
    app,
    `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema()
     AND NOT temporary AND table_name <> 'schema_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

/** One digest per table over all its rows (every column, as text, in a fixed order) plus the row count. */
export async function tableDigests(app: FastifyInstance, exclude: Record<string, string[]> = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tables(app)) {
    const cols = exclude[t]?.length ? ` EXCLUDE (${exclude[t]!.join(', ')})` : '';
    const [r] = await sql<{ n: bigint; h: string | null }>(
      app,
      `SELECT count(*) AS n, md5(string_agg(CAST(x AS VARCHAR), '\n' ORDER BY CAST(x AS VARCHAR))) AS h FROM (SELECT *${cols} FROM "${t}") x`,
    );
    out[t] = `${r!.n}:${r!.h ?? ''}`;
  }
  return out;
}

/** Telemetry of each flight keyed by the flight's file hash (ids differ between instances after a merge). */
export async function telemetryByFileHash(app: FastifyInstance): Promise<Record<string, string>> {
  const rows = await sql<{ file_hash: string; n: bigint; h: string }>(
    app,
    // Each row as text without its flight id (the struct text starts with the fid field, which is cut off).
    `WITH t AS (SELECT x.fid, regexp_replace(CAST(x AS VARCHAR), '^\\{''fid'': \\d+, ', '{') AS s
                FROM (SELECT flight_id AS fid, * EXCLUDE (flight_id) FROM telemetry) x)
     SELECT f.file_hash, count(*) AS n, md5(string_agg(t.s, '\n' ORDER BY t.s)) AS h
     FROM flights f JOIN t ON t.fid = f.id GROUP BY f.file_hash`,
  );
  return Object.fromEntries(rows.map((r) => [r.file_hash, `${r.n}:${r.h}`]));
}

/** Reads parquet files of an unpacked archive with a throwaway DuckDB (for archives that are not restored). */
export async function queryParquet<T = Record<string, unknown>>(dir: string, entries: Array<{ name: string; data: Buffer }>, query: (file: (table: string) => string) => string): Promise<T[]> {
  await fs.mkdir(dir, { recursive: true });
  for (const e of entries) {
    if (!e.name.startsWith('data/')) continue;
    await fs.writeFile(path.join(dir, path.basename(e.name)), e.data);
  }
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(query((t) => `read_parquet('${path.join(dir, `${t}.parquet`)}')`));
    return r.getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
