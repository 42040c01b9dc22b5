import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.js';
import { migrations } from '../db/migrations.js';
import { SIGNATURE_START_TOLERANCE_MS } from './flight-write.repository.js';

/**
 * The SQL of backup and restore: a snapshot of every table to parquet inside one read transaction, loading
 * parquet files back in one write transaction (replace or merge), and migrating an older archive's data in a
 * scratch database. Tables are discovered from the catalog, so tables added by later migrations are backed up
 * without changes here; only merge needs to know what a table means (see `mergePolicy`).
 */

/** One table as written to / read from a parquet file. */
export interface TableFile {
  name: string;
  path: string;
  rows: number;
}

export interface SequenceValue {
  name: string;
  lastValue: number | null;
}

export interface Snapshot {
  schemaVersion: number;
  /** The snapshot transaction's start (UTC ISO-8601). */
  createdAt: string;
  duckdbVersion: string;
  tables: TableFile[];
  sequences: SequenceValue[];
  /** Paths (relative to the originals store) the import ledger lists as kept. */
  originalPaths: string[];
}

export interface ReplaceReportRow {
  table: string;
  /** Rows the table had before (all deleted). */
  before: number;
  restored: number;
}

export interface MergeReportRow {
  table: string;
  added: number;
  skipped: number;
  /** How rows were matched, or why the table is not merged. */
  rule: string;
}

/** The archive's data does not fit this database (message for the pilot). */
export class ArchiveDataError extends Error {
  override readonly name = 'ArchiveDataError';
}

/** Tables that hold this instance's own history (import ledger, sync folder state): restored by replace only. */
const LOCAL_TABLES = new Set(['imports', 'sync_runs', 'sync_files', 'sync_ignore']);
const MIGRATIONS_TABLE = 'schema_migrations';
/** A manifest may put a sequence at most this far past the largest id actually present. */
const SEQUENCE_SLACK = 1_000_000;

interface TableInfo {
  name: string;
  columns: string[];
  /** column → sequence its default draws from (`DEFAULT nextval('seq')`). */
  sequenceColumns: Map<string, string>;
  /** Column sets of the primary key and unique constraints. */
  keys: string[][];
}

function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function parquet(file: string): string {
  return `read_parquet(${literal(file)})`;
}

async function rows(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
}

/** The "Count" a DuckDB INSERT / DELETE / COPY answers with. */
async function changed(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<number> {
  const r = await conn.runAndReadAll(sql, params);
  return Number(r.getRowsJS()[0]?.[0] ?? 0);
}

async function tableInfo(conn: DuckDBConnection): Promise<Map<string, TableInfo>> {
  const tables = await rows(
    conn,
    `SELECT table_name FROM duckdb_tables()
     WHERE database_name = current_database() AND schema_name = current_schema() AND NOT temporary AND NOT internal
       AND table_name <> '${MIGRATIONS_TABLE}'
     ORDER BY table_name`,
  );
  const info = new Map<string, TableInfo>();
  for (const t of tables) info.set(String(t.table_name), { name: String(t.table_name), columns: [], sequenceColumns: new Map(), keys: [] });
  const columns = await rows(
    conn,
    `SELECT table_name, column_name, column_default FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  for (const c of columns) {
    const t = info.get(String(c.table_name));
    if (!t) continue;
    const name = String(c.column_name);
    t.columns.push(name);
    const seq = /^nextval\('([A-Za-z0-9_]+)'\)$/.exec(String(c.column_default ?? ''));
    if (seq) t.sequenceColumns.set(name, seq[1]!);
  }
  const constraints = await rows(
    conn,
    `SELECT table_name, constraint_column_names AS cols FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = current_schema() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
  );
  for (const c of constraints) info.get(String(c.table_name))?.keys.push((c.cols as string[]).map(String));
  return info;
}

async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  return Number((await rows(conn, `SELECT count(*) AS n FROM ${ident(table)}`))[0]!.n);
}

/** How merge treats a table; decided from its name and shape, so later tables get a sensible default. */
function mergePolicy(t: TableInfo): { kind: 'flights' | 'owned' | 'keyed' | 'skip'; rule: string; keyColumns?: string[] } {
  if (t.name === 'flights') return { kind: 'flights', rule: 'new when neither file_hash nor aircraft + battery serial + start time (±2 s) is present; new ids' };
  if (LOCAL_TABLES.has(t.name)) return { kind: 'skip', rule: "this instance's own history: restored by replace only" };
  if (t.columns.includes('flight_id')) return { kind: 'owned', rule: 'rows of the flights added, with their new ids' };
  const key = t.keys.find((k) => k.every((c) => !t.sequenceColumns.has(c)));
  if (key) return { kind: 'keyed', rule: `added when its ${key.join(' + ')} is absent`, keyColumns: key };
  return { kind: 'skip', rule: 'no key to match rows by' };
}

export class BackupRepository {
  constructor(private readonly db: Database) {}

  /**
   * Copies every table to `<dir>/<table>.parquet` inside ONE read transaction on a connection of its own.
   * DuckDB transactions are snapshot-isolated (MVCC): every statement of the transaction sees the database as
   * committed when the transaction began, whatever commits meanwhile; readers never block the writer, so
   * imports go on while this runs. The schema version, row counts and ledger paths come from the same snapshot.
   */
  async snapshot(dir: string): Promise<Snapshot> {
    await fs.mkdir(dir, { recursive: true });
    return this.db.withConnection(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const meta = (await rows(conn, `SELECT (SELECT max(version) FROM ${MIGRATIONS_TABLE}) AS v, epoch_ms(now()) AS ms, version() AS duck`))[0]!;
        const info = await tableInfo(conn);
        const tables: TableFile[] = [];
        for (const t of info.values()) {
          const file = path.join(dir, `${t.name}.parquet`);
          const n = await changed(conn, `COPY (SELECT * FROM ${ident(t.name)}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`);
          tables.push({ name: t.name, path: file, rows: n });
        }
        const sequences = (
          await rows(conn, `SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database() AND schema_name = current_schema() AND NOT temporary ORDER BY sequence_name`)
        ).map((s) => ({ name: String(s.sequence_name), lastValue: s.last_value === null ? null : Number(s.last_value) }));
        const ledger = info.get('imports');
        const originalPaths = ledger?.columns.includes('original_path')
          ? (await rows(conn, `SELECT DISTINCT original_path AS p FROM imports WHERE original_path IS NOT NULL ORDER BY 1`)).map((r) => String(r.p))
          : [];
        return {
          schemaVersion: Number(meta.v ?? 0),
          createdAt: new Date(Number(meta.ms)).toISOString(),
          duckdbVersion: String(meta.duck),
          tables,
          sequences,
          originalPaths,
        };
      } finally {
        await conn.run('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** Tables of the current schema (the migrations table excluded). */
  async tableNames(): Promise<string[]> {
    return this.db.withConnection(async (conn) => [...(await tableInfo(conn)).keys()]);
  }

  /**
   * Checks that each file is readable parquet with exactly the rows the manifest says and only columns the
   * table has (BY NAME: missing columns get their defaults). Throws ArchiveDataError naming the first problem.
   */
  async checkFiles(files: TableFile[]): Promise<void> {
    await this.db.withConnection(async (conn) => {
      const info = await tableInfo(conn);
      for (const f of files) {
        const t = info.get(f.name);
        if (!t) throw new ArchiveDataError(`The archive has a table "${f.name}" this Dronelog does not know.`);
        let cols: string[];
        let n: number;
        try {
          cols = (await rows(conn, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${parquet(f.path)})`)).map((r) => String(r.column_name));
          n = Number((await rows(conn, `SELECT count(*) AS n FROM ${parquet(f.path)}`))[0]!.n);
        } catch (err) {
          throw new ArchiveDataError(`data/${f.name}.parquet is not readable parquet (${(err as Error).message}).`);
        }
        const unknown = cols.filter((c) => !t.columns.includes(c));
        if (unknown.length) throw new ArchiveDataError(`data/${f.name}.parquet has columns ${unknown.join(', ')} that table ${f.name} does not have.`);
        if (n !== f.rows) throw new ArchiveDataError(`data/${f.name}.parquet holds ${n} rows; the manifest says ${f.rows}.`);
      }
    });
  }

  /** Distinct `imports.original_path` values in a ledger parquet file (to find kept originals that will be missing). */
  async ledgerOriginalPaths(file: string): Promise<string[]> {
    return this.db.withConnection(async (conn) => {
      const cols = (await rows(conn, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${parquet(file)})`)).map((r) => String(r.column_name));
      if (!cols.includes('original_path')) return [];
      return (await rows(conn, `SELECT DISTINCT original_path AS p FROM ${parquet(file)} WHERE original_path IS NOT NULL`)).map((r) => String(r.p));
    });
  }

  /**
   * Replace: in ONE write transaction, deletes every row of every table and loads the files (INSERT … BY NAME),
   * checks the counts, forgets kept originals that are not on disk, and moves sequences past every restored id
   * (and past the archive's own sequence values). Any error rolls everything back.
   */
  async replaceAll(files: TableFile[], sequences: SequenceValue[], missingOriginalPaths: string[]): Promise<ReplaceReportRow[]> {
    return this.db.transaction(async (conn) => {
      const info = await tableInfo(conn);
      const before = new Map<string, number>();
      for (const t of info.values()) before.set(t.name, await changed(conn, `DELETE FROM ${ident(t.name)}`));
      const report: ReplaceReportRow[] = [];
      for (const f of files) {
        const n = await changed(conn, `INSERT INTO ${ident(f.name)} BY NAME SELECT * FROM ${parquet(f.path)}`);
        if (n !== f.rows) throw new ArchiveDataError(`table ${f.name}: loaded ${n} rows, the manifest says ${f.rows}.`);
        report.push({ table: f.name, before: before.get(f.name) ?? 0, restored: n });
      }
      if (missingOriginalPaths.length > 0 && info.get('imports')?.columns.includes('original_path')) {
        for (let i = 0; i < missingOriginalPaths.length; i += 500) {
          const chunk = missingOriginalPaths.slice(i, i + 500);
          await conn.run(`UPDATE imports SET original_path = NULL WHERE original_path IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`, chunk);
        }
      }
      await advanceSequences(conn, info, sequences);
      return report;
    });
  }

  /**
   * Merge: in ONE write transaction, adds the archive's flights that are not here (same file_hash or same
   * aircraft + battery serial + start time within the import's ±2 s window count as present) under new ids from
   * the flight sequence, with their rows of every flight-owned table (a `flight_id` column), remapped; rows of
   * keyed tables (keychains by request_hash, settings by key, …) only when their key is absent. The local copy of
   * a flight that is present wins (its edits are kept). The ledger and sync state are not merged.
   */
  async merge(files: TableFile[]): Promise<MergeReportRow[]> {
    return this.db.transaction(async (conn) => {
      const info = await tableInfo(conn);
      const byName = new Map(files.map((f) => [f.name, f]));
      const report: MergeReportRow[] = [];
      const flightsFile = byName.get('flights');
      const flights = info.get('flights');
      const flightSeq = flights?.sequenceColumns.get('id');
      if (!flightsFile || !flights || !flightSeq) throw new ArchiveDataError('The archive or this database has no flights table.');

      const window = `INTERVAL ${SIGNATURE_START_TOLERANCE_MS} MILLISECOND`;
      const blank = (col: string) => `coalesce(regexp_full_match(${col}, '[\\s0]*'), true)`;
      await conn.run(`CREATE TEMP TABLE restore_flight_ids AS
        WITH src AS (SELECT id, file_hash, aircraft_serial, battery_serial, start_time FROM ${parquet(flightsFile.path)}),
        matched AS (
          SELECT s.id AS old_id, coalesce(
            (SELECT min(f.id) FROM flights f WHERE s.file_hash IS NOT NULL AND f.file_hash = s.file_hash),
            (SELECT min(f.id) FROM flights f
              WHERE s.aircraft_serial IS NOT NULL AND NOT ${blank('s.aircraft_serial')} AND f.aircraft_serial = s.aircraft_serial
                AND (f.battery_serial = s.battery_serial OR (${blank('f.battery_serial')} AND ${blank('s.battery_serial')}))
                AND f.start_time BETWEEN s.start_time - ${window} AND s.start_time + ${window})
          ) AS existing_id
          FROM src s)
        SELECT old_id, existing_id, CASE WHEN existing_id IS NULL THEN nextval(${literal(flightSeq)}) END AS new_id FROM matched`);
      try {
        const added = await changed(
          conn,
          `INSERT INTO flights BY NAME SELECT s.* REPLACE (m.new_id AS id) FROM ${parquet(flightsFile.path)} s
           JOIN restore_flight_ids m ON m.old_id = s.id WHERE m.new_id IS NOT NULL`,
        );
        report.push({ table: 'flights', added, skipped: flightsFile.rows - added, rule: mergePolicy(flights).rule });

        for (const f of files) {
          const t = info.get(f.name);
          if (!t || f.name === 'flights') continue;
          const policy = mergePolicy(t);
          // Sequence columns (a row id) get fresh values from their default.
          const generated = [...t.sequenceColumns.keys()].filter((c) => c !== 'flight_id');
          const exclude = generated.length ? ` EXCLUDE (${generated.map(ident).join(', ')})` : '';
          let n = 0;
          if (policy.kind === 'owned') {
            // Rows of newly added flights only: their new flight ids cannot clash with rows already here.
            n = await changed(
              conn,
              `INSERT INTO ${ident(t.name)} BY NAME SELECT s.*${exclude} REPLACE (m.new_id AS flight_id) FROM ${parquet(f.path)} s
               JOIN restore_flight_ids m ON m.old_id = s.flight_id WHERE m.new_id IS NOT NULL`,
            );
          } else if (policy.kind === 'keyed') {
            // An anti-join rather than INSERT OR IGNORE, which DuckDB cannot bind when a key column is left to its default.
            const same = policy.keyColumns!.map((c) => `l.${ident(c)} IS NOT DISTINCT FROM s.${ident(c)}`).join(' AND ');
            n = await changed(
              conn,
              `INSERT INTO ${ident(t.name)} BY NAME SELECT s.*${exclude} FROM ${parquet(f.path)} s
               WHERE NOT EXISTS (SELECT 1 FROM ${ident(t.name)} l WHERE ${same})`,
            );
          }
          report.push({ table: t.name, added: n, skipped: f.rows - n, rule: policy.rule });
        }
      } finally {
        await conn.run('DROP TABLE IF EXISTS restore_flight_ids');
      }
      return report;
    });
  }

  /**
   * Brings an archive taken at an older schema up to the current one: a scratch database in `dir` gets the
   * migrations up to `fromVersion`, the files, then the later migrations (exactly what upgrading a live database
   * does), and every table is written out again. Returns the files to restore from.
   */
  async migrateArchive(files: TableFile[], fromVersion: number, dir: string): Promise<TableFile[]> {
    await fs.mkdir(dir, { recursive: true });
    const instance = await DuckDBInstance.create(path.join(dir, 'staging.duckdb'), {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // A side job next to the live database: keep it small.
      memory_limit: '128MB',
      threads: '1',
    });
    const conn = await instance.connect();
    try {
      const run = async (version: number, sql: string) => {
        await conn.run('BEGIN TRANSACTION');
        try {
          await conn.run(sql);
          await conn.run('COMMIT');
        } catch (err) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw new ArchiveDataError(`migrating the archive's data to schema ${version} failed: ${(err as Error).message}`);
        }
      };
      for (const m of migrations.filter((m) => m.version <= fromVersion)) await run(m.version, m.sql);
      const then = await tableInfo(conn);
      const names = files.map((f) => f.name).sort();
      const expected = [...then.keys()].sort();
      if (names.join() !== expected.join()) {
        throw new ArchiveDataError(`A schema ${fromVersion} backup has the tables ${expected.join(', ')}; this archive has ${names.join(', ')}.`);
      }
      for (const f of files) {
        try {
          await conn.run(`INSERT INTO ${ident(f.name)} BY NAME SELECT * FROM ${parquet(f.path)}`);
        } catch (err) {
          throw new ArchiveDataError(`data/${f.name}.parquet does not fit schema ${fromVersion}: ${(err as Error).message}`);
        }
      }
      for (const m of migrations.filter((m) => m.version > fromVersion)) await run(m.version, m.sql);
      const out: TableFile[] = [];
      for (const t of (await tableInfo(conn)).values()) {
        const file = path.join(dir, `${t.name}.parquet`);
        const n = await changed(conn, `COPY (SELECT * FROM ${ident(t.name)}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`);
        out.push({ name: t.name, path: file, rows: n });
      }
      return out;
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
}

/** Moves every sequence past the largest id its columns hold, and to the archive's value (bounded). */
async function advanceSequences(conn: DuckDBConnection, info: Map<string, TableInfo>, archived: SequenceValue[]): Promise<void> {
  const want = new Map<string, number>();
  const archivedBy = new Map(archived.map((s) => [s.name, s.lastValue ?? 0]));
  for (const t of info.values()) {
    for (const [col, seq] of t.sequenceColumns) {
      const max = Number((await rows(conn, `SELECT coalesce(max(${ident(col)}), 0) AS m FROM ${ident(t.name)}`))[0]!.m);
      const fromArchive = Math.min(archivedBy.get(seq) ?? 0, max + SEQUENCE_SLACK);
      want.set(seq, Math.max(want.get(seq) ?? 0, max, fromArchive));
    }
  }
  const current = await rows(
    conn,
    `SELECT sequence_name, coalesce(last_value, start_value - increment_by) AS v FROM duckdb_sequences() WHERE database_name = current_database() AND schema_name = current_schema() AND NOT temporary`,
  );
  for (const s of current) {
    const target = want.get(String(s.sequence_name));
    const gap = target === undefined ? 0 : target - Number(s.v);
    // DuckDB has no ALTER SEQUENCE … RESTART and cannot replace a sequence a column default uses: draw the gap.
    if (gap > 0) await conn.run(`SELECT max(nextval(${literal(String(s.sequence_name))})) FROM range(${gap})`);
  }
}
