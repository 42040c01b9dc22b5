import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { migrations as profileMigrations, type Migration } from './migrations.js';

/** The default profile's schema: data from before profiles existed stays where it was. */
export const MAIN_SCHEMA = 'main';

/**
 * Quiet time after the last committed write before the data it added is checkpointed. DuckDB keeps committed but
 * not yet checkpointed rows in memory (`in_memory_table` in duckdb_memory(), ~60 MB after 40 imports) until the
 * WAL reaches `wal_autocheckpoint`; checkpointing when the writer goes quiet returns that memory.
 */
const IDLE_CHECKPOINT_MS = 1000;

/**
 * Releases memory the process no longer uses. Re-applying DuckDB's memory limit (the same value) makes its buffer pool
 * drop the buffers it keeps for reuse and flush its allocator, which on glibc trims every malloc arena of the process:
 * the freed but still resident memory of an import (DuckDB's appends and checkpoints, the main thread's and the ended
 * parse workers' arenas) goes back to the kernel. Nothing in use is evicted: the limit does not change. It costs
 * ≈ 0.5–5 ms on the writer, so it runs after every write transaction and after the idle checkpoint: importing the
 * 33-min log the idle server afterwards kept ≈ 30 instead of ≈ 55 MiB more than before, and a batch of 60 imports
 * peaked ≈ 40 MiB lower (docs/benchmarks.md).
 */
async function releaseFreedMemory(conn: DuckDBConnection, memoryLimit: string): Promise<void> {
  await conn.run(`SET memory_limit = '${memoryLimit}'`);
}

/** Schema names are made by the profile registry (`p_<n>`), never from user input; checked anyway. */
const SCHEMA_NAME = /^(main|control|p_[0-9]+)$/;

/**
 * The one DuckDB instance of the process with its single write connection and write queue. Each profile's tables
 * live in their own schema of the one file; `Database` is a view of one schema over this shared engine.
 */
class Engine {
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  queue: Promise<unknown> = Promise.resolve();
  closed = false;
  /** Schema the writer's unqualified names resolve to right now; set before each exclusive use. */
  writerSchema: string | null = null;
  readonly lent = new Set<Promise<unknown>>();
  readonly views = new Map<string, Database>();
  /** Pending idle checkpoint (see `Database.transaction`). */
  checkpointTimer: NodeJS.Timeout | null = null;
  /** DuckDB's memory limit as configured ('256MB'), re-applied to release freed memory. */
  readonly memoryLimit: string;
  /** A memory release is queued on the writer and has not run yet (releases are coalesced). */
  releaseQueued = false;
  /** Memory releases that ran (`releaseFreedMemory`; for tests and diagnosis). */
  memoryReleases = 0;

  constructor(instance: DuckDBInstance, writer: DuckDBConnection, memoryLimit: string) {
    this.instance = instance;
    this.writer = writer;
    this.memoryLimit = memoryLimit;
  }
}

async function useSchema(conn: DuckDBConnection, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  // `schema` is where CREATE puts new objects, `search_path` where unqualified names are looked up.
  await conn.run(`SET schema = '${schema}'; SET search_path = '${schema}'`);
}

/**
 * One schema of the one DuckDB instance of the process. DuckDB allows a single writing process per file,
 * and inside it we serialise every write through one connection so transactions never interleave (across all
 * profiles); reads get a connection of their own per schema and see committed data only (MVCC). Repositories use
 * unqualified table names, so the same SQL serves every profile and cannot reach another profile's tables.
 */
export class Database {
  readonly #engine: Engine;
  readonly #reader: DuckDBConnection;
  /** The DuckDB schema this view reads and writes. */
  readonly schema: string;

  private constructor(engine: Engine, reader: DuckDBConnection, schema: string) {
    this.#engine = engine;
    this.#reader = reader;
    this.schema = schema;
  }

  /** Opens the file and migrates the default profile's schema (`main`). Other schemas: `forSchema`. */
  static async open(file: string, options: { memoryLimit?: string; threads?: number } = {}): Promise<Database> {
    if (file !== ':memory:') await fs.mkdir(path.dirname(file), { recursive: true });
    const memoryLimit = options.memoryLimit ?? '256MB';
    if (!/^\d+(\.\d+)?\s?(KB|MB|GB|KiB|MiB|GiB)$/.test(memoryLimit)) throw new Error(`invalid DuckDB memory limit: ${memoryLimit}`);
    const instance = await DuckDBInstance.create(file, {
      // Extensions must never be fetched at run time (no network in tests, egress-restricted in the cluster).
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // The pod has 512 MiB; leave room for Node and the parse worker (DUCKDB_MEMORY_LIMIT_MB, 256 by default).
      memory_limit: memoryLimit,
      threads: String(options.threads ?? 2),
      // Keep the WAL small so a crash never leaves a huge replay at start-up.
      wal_autocheckpoint: '16MB',
    });
    const engine = new Engine(instance, await instance.connect(), memoryLimit);
    const db = await Database.#view(engine, MAIN_SCHEMA);
    await db.migrate();
    return db;
  }

  static async #view(engine: Engine, schema: string): Promise<Database> {
    const existing = engine.views.get(schema);
    if (existing) return existing;
    const reader = await engine.instance.connect();
    await useSchema(reader, schema);
    const db = new Database(engine, reader, schema);
    engine.views.set(schema, db);
    return db;
  }

  /**
   * The view of another schema of the same file (created if missing), migrated with `list` (the profile tables by
   * default). Shares this instance's writer and write queue.
   */
  async forSchema(schema: string, list: Migration[] = profileMigrations): Promise<Database> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const known = this.#engine.views.get(schema);
    if (known) return known;
    await this.exclusiveIn(MAIN_SCHEMA, (conn) => conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
    const db = await Database.#view(this.#engine, schema);
    await db.migrate(list);
    return db;
  }

  /** Drops a schema and everything in it (a deleted profile), in one transaction. */
  async dropSchema(schema: string): Promise<void> {
    if (!SCHEMA_NAME.test(schema) || schema === MAIN_SCHEMA || schema === 'control') throw new Error(`refusing to drop schema ${schema}`);
    const view = this.#engine.views.get(schema);
    this.#engine.views.delete(schema);
    if (view) view.#reader.closeSync();
    await this.exclusiveIn(MAIN_SCHEMA, async (conn) => {
      await conn.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await conn.run('CHECKPOINT');
    });
  }

  /** Connection for reads (SELECT only), resolving unqualified names in this schema. */
  get reader(): DuckDBConnection {
    return this.#reader;
  }

  /**
   * Runs `fn` with exclusive use of the write connection inside one transaction.
   * Commits if it resolves, rolls back if it throws.
   */
  transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(conn);
        await conn.run('COMMIT');
        this.#releaseMemorySoon();
        this.#checkpointWhenIdle();
        return result;
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** (Re)arms the idle checkpoint: it runs on the writer queue once no write has committed for IDLE_CHECKPOINT_MS. */
  #checkpointWhenIdle(): void {
    const engine = this.#engine;
    if (engine.checkpointTimer) clearTimeout(engine.checkpointTimer);
    engine.checkpointTimer = setTimeout(() => {
      engine.checkpointTimer = null;
      if (engine.closed) return;
      // Best effort: DuckDB refuses while another connection holds an open transaction (a backup snapshot); the
      // next write re-arms it, and wal_autocheckpoint still bounds the WAL. The memory release runs either way.
      void this.exclusiveIn(MAIN_SCHEMA, (conn) => conn.run('CHECKPOINT')).catch(() => undefined);
      this.#releaseMemorySoon();
    }, IDLE_CHECKPOINT_MS);
    engine.checkpointTimer.unref();
  }

  /** Queues `releaseFreedMemory` on the writer, after what is queued now; not on the caller's path. */
  #releaseMemorySoon(): void {
    const engine = this.#engine;
    if (engine.closed || engine.releaseQueued) return;
    engine.releaseQueued = true;
    // Straight on the write queue, whatever schema the writer is in: the setting is instance-wide.
    const run = engine.queue.then(async () => {
      engine.releaseQueued = false;
      await releaseFreedMemory(engine.writer, engine.memoryLimit);
      engine.memoryReleases++;
    });
    engine.queue = run.catch(() => {
      engine.releaseQueued = false;
    });
  }

  /**
   * A fresh connection of its own for the duration of `fn`, closed afterwards. For long reads that need their own
   * transaction (a backup snapshot: one read transaction across many COPY statements) without holding `reader`,
   * whose other users would otherwise run inside that transaction. Never for writes: those go through `transaction`.
   */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const engine = this.#engine;
    if (engine.closed) return Promise.reject(new Error('database is closed'));
    const run = (async () => {
      const conn = await engine.instance.connect();
      try {
        await useSchema(conn, this.schema);
        return await fn(conn);
      } finally {
        conn.closeSync();
      }
    })();
    const tracked = run.catch(() => undefined);
    engine.lent.add(tracked);
    void tracked.then(() => engine.lent.delete(tracked));
    return run;
  }

  /** Exclusive use of the write connection without an explicit transaction (e.g. CHECKPOINT). */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusiveIn(this.schema, fn);
  }

  private exclusiveIn<T>(schema: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const engine = this.#engine;
    if (engine.closed) return Promise.reject(new Error('database is closed'));
    const run = engine.queue.then(async () => {
      if (engine.writerSchema !== schema) {
        engine.writerSchema = null;
        await useSchema(engine.writer, schema);
        engine.writerSchema = schema;
      }
      return fn(engine.writer);
    });
    engine.queue = run.catch(() => undefined);
    return run;
  }

  async migrate(list: Migration[] = profileMigrations): Promise<void> {
    await this.exclusive(async (conn) => {
      await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const applied = await conn.runAndReadAll('SELECT version FROM schema_migrations');
      const done = new Set(applied.getRowObjectsJS().map((r) => Number(r.version)));
      let appliedAny = false;
      for (const m of list) {
        if (done.has(m.version)) continue;
        appliedAny = true;
        await conn.run('BEGIN TRANSACTION');
        try {
          await conn.run(m.sql);
          await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await conn.run('COMMIT');
        } catch (err) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${m.version} (${m.name}) of schema ${this.schema} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      // DuckDB 1.5 cannot replay a WAL holding ALTER TABLE ADD COLUMN on a table whose default is
      // nextval(): a crash before the first checkpoint would leave the file unopenable. Checkpoint now.
      if (appliedAny) await conn.run('CHECKPOINT');
    });
  }

  async schemaVersion(): Promise<number> {
    const r = await this.#reader.runAndReadAll('SELECT max(version) AS v FROM schema_migrations');
    return Number(r.getRowObjectsJS()[0]?.v ?? 0);
  }

  /** How many memory releases (`releaseFreedMemory`) have run on this instance (all schemas). */
  get memoryReleases(): number {
    return this.#engine.memoryReleases;
  }

  get isOpen(): boolean {
    return !this.#engine.closed;
  }

  /** Closes the whole instance (every schema's view): waits for queued writes and lent connections, checkpoints. */
  async close(): Promise<void> {
    const engine = this.#engine;
    if (engine.closed) return;
    if (engine.checkpointTimer) clearTimeout(engine.checkpointTimer);
    engine.checkpointTimer = null;
    await Promise.all([engine.queue, ...engine.lent]);
    engine.closed = true;
    await engine.writer.run('CHECKPOINT').catch(() => undefined);
    engine.writer.closeSync();
    for (const view of engine.views.values()) view.#reader.closeSync();
    engine.views.clear();
    engine.instance.closeSync();
  }
}
