import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import {
  buildOdlBackup,
  createOdlTables,
  exportOdlParquet,
  syntheticOdlBackup,
  type OdlBackupOptions,
  type OdlBackupSpec,
  type SqlRun,
} from '@dronelog/testkit';
import { multipart } from './imports-helpers.js';

export const ODL_IMPORT_URL = '/api/v1/imports/open-dronelog-backup';

/** A fresh in-memory DuckDB for building ODL files; closed after `fn`. */
export async function withScratchDuckDb<T>(fn: (run: SqlRun, dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'odl-backup-'));
  const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await db.connect();
  try {
    return await fn((sql) => conn.run(sql), dir);
  } finally {
    conn.closeSync();
    db.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** An Open DroneLog `.db.backup`, built with DuckDB from `spec` (the synthetic one by default). */
export async function odlBackup(spec: OdlBackupSpec = syntheticOdlBackup(), opts: OdlBackupOptions = {}): Promise<Buffer> {
  return withScratchDuckDb((run, dir) => buildOdlBackup(run, dir, spec, opts));
}

/** ODL's tables as parquet files in `dir` (kept), with an optional statement run before the export (to doctor a table). */
export async function odlParquetFiles(dir: string, spec: OdlBackupSpec = syntheticOdlBackup(), doctor?: string[]): Promise<Map<string, Buffer>> {
  return withScratchDuckDb(async (run, work) => {
    await createOdlTables(run, spec);
    for (const sql of doctor ?? []) await run(sql);
    const out = new Map<string, Buffer>();
    for (const f of await exportOdlParquet(run, work)) {
      const data = await fs.readFile(f.file);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, `${f.table}.parquet`), data);
      out.set(f.table, data);
    }
    return out;
  });
}

export async function postOdlBackup(app: FastifyInstance, bytes: Uint8Array, name = 'open-dronelog.db.backup'): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  const body = await multipart([{ name, bytes }]);
  return app.inject({ method: 'POST', url: ODL_IMPORT_URL, ...body });
}
